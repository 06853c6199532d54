-- Each pathway's audit entries form a hash chain: an entry stores the hash of the one before it,
-- so altering, removing or reordering an entry is detected by recomputing the chain.
alter table audit_entries add column escalation text;
alter table audit_entries add column prev_hash text not null;
alter table audit_entries add column hash text not null;

-- Every read of a pathway's state or history by a person.
create table access_log (
  id bigint generated always as identity primary key,
  pathway_id uuid not null references pathways (id),
  actor_id text not null,
  actor_role text not null,
  actor_org text not null,
  what text not null check (what in ('state', 'history', 'access-log')),
  request_id text,
  at timestamptz not null default now()
);
create index access_log_by_pathway on access_log (pathway_id, at);
