-- Notifications: what happened that someone should be told, who is told, who has read it, and
-- each e-mail or webhook that carries it. A notification holds no personal value of a pathway:
-- a kind, a programme, a stage, dates and counts; the pathway is named by its id only.

-- Where e-mail goes and in which language, as the sign-in's token says.
alter table people_seen add column email text;
alter table people_seen add column language text;

create table notifications (
  id uuid primary key,
  -- What raised it, so a retried write or a second sweep adds nothing (pathway:<id>:<seq>:<kind>, …).
  event_key text not null unique,
  kind text not null,
  pathway_id uuid references pathways (id),
  -- The organisation it concerns (the pathway's own, or the one whose webhook paused).
  organisation text,
  data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  -- Set once its e-mails are written to notification_deliveries.
  emails_fanned_at timestamptz
);
create index notifications_to_fan_out on notifications (created_at) where emails_fanned_at is null;

-- Who is told: everyone of these roles in the organisation, or one person; never except_subject
-- (the one who prepared a decision).
create table notification_audience (
  notification_id uuid not null references notifications (id) on delete cascade,
  organisation text not null,
  roles text[] not null default '{}',
  subject text,
  except_subject text
);
create index notification_audience_by_org on notification_audience (organisation, notification_id);

create table notification_reads (
  organisation text not null,
  subject text not null,
  notification_id uuid not null references notifications (id) on delete cascade,
  read_at timestamptz not null default now(),
  primary key (organisation, subject, notification_id)
);

-- Each e-mail (target <organisation>/<subject>) and webhook call (target: the webhook's id).
create table notification_deliveries (
  id uuid primary key,
  notification_id uuid not null references notifications (id) on delete cascade,
  channel text not null check (channel in ('email', 'webhook')),
  target text not null,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'held', 'skipped', 'failed')),
  attempts integer not null default 0,
  next_at timestamptz not null default now(),
  lease_until timestamptz,
  first_failed_at timestamptz,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  unique (notification_id, channel, target)
);
create index notification_deliveries_due on notification_deliveries (channel, next_at) where status in ('pending', 'sending');
create index notification_deliveries_held on notification_deliveries (channel, target) where status = 'held';

-- Emergency grants and incidents raise their notifications from a sweep: remembered here.
alter table emergency_access add column told_at timestamptz;
alter table emergency_access add column unreviewed_told_at timestamptz;
create index emergency_access_untold on emergency_access (granted_at) where told_at is null;
alter table incidents add column told_at timestamptz;
create index incidents_untold on incidents (raised_at) where told_at is null;
-- Those of before are not news.
update emergency_access set told_at = granted_at, unreviewed_told_at = coalesce(reviewed_at, granted_at);
update incidents set told_at = raised_at;
