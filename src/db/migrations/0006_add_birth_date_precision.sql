-- Many children have no papers: a birth date is often known only as a year or a month, or estimated.
alter table people add column birth_date_precision text not null default 'day'
  check (birth_date_precision in ('day', 'month', 'year'));
alter table people add column birth_date_estimated boolean not null default false;
