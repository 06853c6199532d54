-- Finding the person: what names in lists, search and duplicate checks share.
-- A supervisor may hide a person's name (a person at risk): lists then show initials and an id,
-- and the full name shows only on the pathway's own page, logged.
alter table people add column name_hidden boolean not null default false;
-- Lists that now show who each pathway is for are logged like the state they show: the pathways
-- list, approvals and cohort answers ('list'), search results ('search'), a family group's page
-- ('family') and the pathways a duplicate check names ('duplicates').
alter table access_log drop constraint access_log_what_check;
alter table access_log add constraint access_log_what_check check (what in (
  'state', 'history', 'access-log', 'worklist', 'emergency-access', 'list', 'search', 'family', 'duplicates'));
