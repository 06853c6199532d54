-- A pathway whose audit entries PostgreSQL refuses to store: the workflow keeps them and stops
-- accepting actions; readiness and operators see the open incidents here.
create table incidents (
  id bigint generated always as identity primary key,
  pathway_id uuid not null references pathways (id),
  sql_state text not null,
  first_seq integer not null,
  raised_at timestamptz not null default now(),
  resolved_at timestamptz
);
-- At most one open incident per pathway.
create unique index incidents_open_per_pathway on incidents (pathway_id) where resolved_at is null;
