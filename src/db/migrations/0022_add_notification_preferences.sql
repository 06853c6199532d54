-- How each person wants e-mail: every notification as it happens, one digest a day, or none;
-- and in which language, when not the one their identity provider says.
create table notification_preferences (
  organisation text not null,
  subject text not null,
  email text not null default 'each' check (email in ('each', 'daily', 'off')),
  language text check (language in ('en', 'ru')),
  updated_at timestamptz not null default now(),
  primary key (organisation, subject)
);

-- When each person's last digest went: one a day (or one an interval in tests).
create table email_digests (
  organisation text not null,
  subject text not null,
  sent_at timestamptz not null,
  primary key (organisation, subject)
);

-- Single e-mails sent, for the rate limit per person (digests do not count).
create table email_sends (
  delivery_id uuid primary key,
  target text not null,
  sent_at timestamptz not null default now()
);
create index email_sends_per_target on email_sends (target, sent_at);
