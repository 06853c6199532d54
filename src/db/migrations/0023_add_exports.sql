-- A list taken away as a file (CSV or XLSX) carries the people on it off the service: each
-- pathway in it is in its access log ('export'), and each export is in an export log that
-- supervisors read: who, when, what list with which filters, how many rows, and why.
alter table access_log drop constraint access_log_what_check;
alter table access_log add constraint access_log_what_check check (what in (
  'state', 'history', 'access-log', 'worklist', 'emergency-access', 'list', 'search', 'family', 'duplicates',
  'print-summary', 'print-letter', 'download-summary', 'export'));

create table export_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id text not null,
  actor_role text not null,
  actor_org text not null,
  list text not null,
  -- The filters as asked (categories only: programme, stage, status...), never a person's value.
  filters jsonb not null default '{}',
  format text not null check (format in ('csv', 'xlsx')),
  personal boolean not null,
  -- Null for a report without people in it; required otherwise.
  reason text check (reason is not null or not personal),
  reason_note text,
  request_id text not null,
  -- Pathways written to their access logs, and rows sent; finished is false when the caller left midway.
  pathways integer not null default 0,
  rows_sent integer,
  finished boolean not null default false
);
create index export_log_by_org on export_log (actor_org, id);
