-- Free-text notes sent with actions: possibly personal, so kept here and never sent to Temporal.
create table action_notes (
  pathway_id uuid not null references pathways (id),
  action_id text not null,
  author_id text not null,
  text text not null,
  created_at timestamptz not null default now(),
  primary key (pathway_id, action_id)
);
