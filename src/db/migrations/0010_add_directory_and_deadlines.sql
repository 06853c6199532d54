-- The people each organisation's sign-in has seen: work is assigned to them, never to a typed id.
create table people_seen (
  organisation text not null,
  subject text not null,
  role text not null check (role in ('coordinator', 'staff', 'supervisor')),
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (organisation, subject)
);

-- Incidents of more than one kind: an audit write PostgreSQL refuses (as before), one that has not
-- gone through by its deadline, a transfer that could not be prepared by its deadline. At most one
-- open incident of each kind per pathway.
alter table incidents add column kind text not null default 'audit-write-refused'
  check (kind in ('audit-write-refused', 'audit-write-late', 'transfer-not-prepared'));
alter table incidents add column detail text;
alter table incidents alter column sql_state drop not null;
alter table incidents alter column first_seq drop not null;
drop index incidents_open_per_pathway;
create unique index incidents_open_per_pathway on incidents (pathway_id, kind) where resolved_at is null;

-- Each organisation that accepted a referral of a stage holds that stage on its own: one hold per
-- stage and organisation, not one per stage.
alter table pathway_assignments drop constraint pathway_assignments_pkey;
alter table pathway_assignments add primary key (pathway_id, scope, organisation);
