-- Possible duplicates. Opening a pathway for someone who may already have one (same folded name,
-- birth date within its precision, same sex) is refused until the coordinator says it is a
-- different person: that word is kept here, with who gave it.
create table duplicate_confirmations (
  pathway_id uuid not null references pathways (id),
  different_from uuid not null references pathways (id),
  confirmed_by text not null,
  confirmed_role text not null,
  confirmed_org text not null,
  confirmed_at timestamptz not null default now(),
  primary key (pathway_id, different_from)
);

-- A match in another organisation is never shown to the one opening: the oversight organisation
-- is told and decides. No personal value here: the two pathways' ids say who.
create table duplicate_alerts (
  id uuid primary key,
  pathway_id uuid not null references pathways (id),
  other_pathway_id uuid not null references pathways (id),
  raised_at timestamptz not null default now(),
  reviewed_at timestamptz,
  reviewed_by text,
  review_outcome text check (review_outcome in ('same-person', 'different-people')),
  review_note text,
  unique (pathway_id, other_pathway_id)
);
create index duplicate_alerts_unreviewed on duplicate_alerts (raised_at) where reviewed_at is null;
