-- One row per pathway: ids and categories, plus the projection the workflow keeps up to date.
create table pathways (
  id uuid primary key,
  programme text not null,
  operation text not null,
  phase text,
  arrival_date date not null,
  family_group_id text,
  sex text not null check (sex in ('female', 'male')),
  age_band text not null,
  is_child boolean not null,
  template_version integer not null,
  opened_at timestamptz not null default now(),
  opened_by text not null,
  -- "<organisation>:<client key>:<position in the request>", so a retried request opens nothing twice.
  idempotency_key text unique,
  -- Digest of the whole request, to refuse the same key sent with a different body.
  idempotency_digest text,
  status text not null default 'active',
  current_stage text not null default 'intake',
  overdue boolean not null default false,
  closure_reason text,
  closed_at timestamptz,
  -- The state a closed pathway ended with, readable after Temporal's retention has passed.
  final_view jsonb,
  projection_version integer not null default 0,
  updated_at timestamptz not null default now()
);
create index pathways_family_group on pathways (family_group_id) where family_group_id is not null;
create index pathways_listing on pathways (programme, status, current_stage);

create table pathway_organisations (
  pathway_id uuid not null references pathways (id),
  organisation text not null,
  primary key (pathway_id, organisation)
);
create index pathway_organisations_by_organisation on pathway_organisations (organisation, pathway_id);

-- Personal data: stored here once, never sent to Temporal, never in logs or reports.
create table people (
  pathway_id uuid primary key references pathways (id),
  given_name text not null,
  family_name text not null,
  patronymic text,
  birth_date date not null,
  created_at timestamptz not null default now()
);

create table pathway_stages (
  pathway_id uuid not null references pathways (id),
  stage text not null,
  status text not null,
  ready_at timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  due_at timestamptz,
  overdue boolean not null default false,
  primary key (pathway_id, stage)
);
create index pathway_stages_by_stage on pathway_stages (stage, status);

-- Every accepted action and automatic event, written once: (pathway_id, seq) is the idempotency key.
create table audit_entries (
  id bigint generated always as identity primary key,
  pathway_id uuid not null references pathways (id),
  seq integer not null check (seq > 0),
  kind text not null check (kind in ('action', 'event')),
  type text not null,
  stage text not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  actor_id text,
  actor_role text,
  actor_org text,
  action_id text,
  request_id text,
  data jsonb not null,
  unique (pathway_id, seq),
  unique (pathway_id, action_id)
);

create table escalations (
  id bigint generated always as identity primary key,
  pathway_id uuid not null references pathways (id),
  seq integer not null,
  kind text not null,
  stage text not null,
  raised_at timestamptz not null,
  unique (pathway_id, seq)
);
