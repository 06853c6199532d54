-- Working across organisations. What each pathway shares with other organisations (a referral of
-- one stage, a transfer of the whole pathway) and who is assigned its work, as the workflow last
-- wrote them: access checks and worklists read these rows instead of asking every workflow.
create table pathway_shares (
  pathway_id uuid not null references pathways (id),
  -- A referral's id (the seq of the entry that made it), or 'transfer'.
  share_id text not null,
  kind text not null check (kind in ('referral', 'transfer')),
  stage text,
  from_org text not null,
  to_org text not null,
  status text not null,
  escalated boolean not null default false,
  due_at timestamptz,
  primary key (pathway_id, share_id)
);
create index pathway_shares_open_by_receiver on pathway_shares (to_org, pathway_id) where status in ('pending', 'accepted');

-- The person responsible for a whole pathway (scope 'pathway') or for one of its stages.
create table pathway_assignments (
  pathway_id uuid not null references pathways (id),
  scope text not null,
  assignee text not null,
  organisation text not null,
  primary key (pathway_id, scope)
);
create index pathway_assignments_by_assignee on pathway_assignments (organisation, assignee);

-- A pathway opened by a transfer links back to the one it continues. Not a foreign key: a
-- reference from pathways to itself halves the rate at which new pathways are recorded (npm run
-- bench), and the workflow that writes it names a pathway that exists.
alter table pathways add column transferred_from uuid;

-- Emergency access ("break the glass"): a person reads a pathway outside their organisation for a
-- limited time, giving a reason; the oversight organisation reviews every grant.
create table emergency_access (
  id uuid primary key,
  pathway_id uuid not null references pathways (id),
  actor_id text not null,
  actor_role text not null,
  actor_org text not null,
  reason text not null,
  -- Free text: personal, kept here only.
  note text not null,
  granted_at timestamptz not null default now(),
  expires_at timestamptz not null,
  reviewed_at timestamptz,
  reviewed_by text,
  review_outcome text check (review_outcome in ('justified', 'unjustified')),
  review_note text
);
create index emergency_access_by_reader on emergency_access (pathway_id, actor_org, actor_id, expires_at);
create index emergency_access_unreviewed on emergency_access (granted_at) where reviewed_at is null;

-- How a reader came to see the pathway: flags referral receivers and emergency readers in the log.
alter table access_log add column via text check (via in ('organisation', 'oversight', 'referral', 'transfer', 'emergency'));
alter table access_log add column emergency_access_id uuid references emergency_access (id);
alter table access_log drop constraint access_log_what_check;
alter table access_log add constraint access_log_what_check check (what in ('state', 'history', 'access-log', 'worklist', 'emergency-access'));
