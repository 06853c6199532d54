-- Webhooks: an organisation's own receivers (its case system, a messenger bridge), managed by its
-- supervisors. A hook is told every notification its organisation is in the audience of, signed
-- with its secret by the Standard Webhooks scheme. The secret signs, so it is kept as given out.
create table webhooks (
  id uuid primary key,
  organisation text not null,
  url text not null,
  secret text not null,
  description text not null default '',
  enabled boolean not null default true,
  -- Set when its deliveries failed for NOTIFY_GIVE_UP_SECONDS: they are held until it is resumed.
  paused_at timestamptz,
  paused_reason text,
  -- When its receiver started failing, and when to knock again; cleared by the next delivery it accepts.
  failing_since timestamptz,
  next_probe_at timestamptz,
  -- One sender at a time per receiver, whichever worker delivers: the one whose turn runs till then.
  busy_until timestamptz,
  -- After a rotation the previous secret still signs for a day beside the new one, so a receiver
  -- can switch over without dropping a message.
  previous_secret text,
  previous_until timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhooks_of_organisation on webhooks (organisation, created_at);

-- Every request made to a receiver: what it answered, or why there was no answer, and how long it took.
create table webhook_attempts (
  id bigserial primary key,
  webhook_id uuid not null references webhooks (id) on delete cascade,
  delivery_id uuid not null,
  attempted_at timestamptz not null default now(),
  status_code integer,
  error text,
  duration_ms integer not null
);
create index webhook_attempts_of_delivery on webhook_attempts (delivery_id, attempted_at);
create index webhook_attempts_of_webhook on webhook_attempts (webhook_id, attempted_at);


-- Set once a notification's webhook calls are written to notification_deliveries.
alter table notifications add column webhooks_fanned_at timestamptz;
create index notifications_to_fan_out_to_webhooks on notifications (created_at) where webhooks_fanned_at is null;
-- Those of before are not news.
update notifications set webhooks_fanned_at = created_at;
-- A hook's delivery log and its counts of waiting and held deliveries.
create index notification_deliveries_of_webhook on notification_deliveries (target, created_at) where channel = 'webhook';
