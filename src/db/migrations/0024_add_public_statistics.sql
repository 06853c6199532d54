-- Programmes whose statistics the oversight organisation made public (GET /public/statistics/<programme>).
-- No row: not public, the default.
create table public_statistics (
  programme text primary key,
  public boolean not null,
  changed_by text not null,
  changed_at timestamptz not null default now()
);
