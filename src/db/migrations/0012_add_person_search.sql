-- Finding a person by name across scripts. Names are folded in the application (src/domain/names.ts:
-- a transliteration library, then one Latin skeleton per word); PostgreSQL indexes the result.
create extension if not exists pg_trgm;
create extension if not exists fuzzystrmatch;

-- Each name part's skeleton (Айша, Aisha, Oysha → asha), compared by the duplicate check;
-- name_words: every word as spelt in Latin letters, what search finds people by.
-- fold_version: the folding that wrote them; rows of an older one are refolded on migration.
alter table people
  add column given_folded text,
  add column family_folded text,
  add column patronymic_folded text,
  add column name_words text[] not null default '{}',
  add column fold_version integer not null default 0;
create index people_name_words on people using gin (name_words);
create index people_folded_names on people (family_folded, given_folded);
create index people_fold_version on people (fold_version);

-- Every word any name was written with, once: a query word is compared with these (few thousand
-- even for 100,000 people), and the words found are then looked up in people.name_words.
create table name_vocabulary (
  spelt text primary key,
  folded text not null,
  consonants text not null,
  abjad boolean not null,
  keys text[] not null
);
create index name_vocabulary_folded on name_vocabulary (folded);
create index name_vocabulary_consonants on name_vocabulary (consonants);
create index name_vocabulary_spelt_trgm on name_vocabulary using gin (spelt gin_trgm_ops);

-- Who searched, when and how many pathways they were shown. Never what they searched for.
create table person_searches (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id text not null,
  actor_role text not null,
  actor_org text not null,
  request_id text,
  -- Which filters were used (q, familyGroup, birthYear, operation), never their values.
  filters text[] not null,
  results integer not null
);
create index person_searches_by_org on person_searches (actor_org, at);
