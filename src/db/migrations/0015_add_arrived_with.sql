-- Who a person arrived with (mother, siblings, ...), a category the workflow already carries, kept
-- on the pathway's row so a family group's page can name a mother and her children without asking
-- every member's workflow. Closed pathways get it from the state they ended with; open pathways of
-- before stay null (their relation shows as a member of the group, nothing more).
alter table pathways add column arrived_with text
  check (arrived_with in ('mother', 'siblings', 'unaccompanied', 'orphan', 'adult'));
update pathways set arrived_with = final_view -> 'person' ->> 'arrivedWith'
 where final_view -> 'person' ->> 'arrivedWith' in ('mother', 'siblings', 'unaccompanied', 'orphan', 'adult');
-- The cohort's own filters: an arrival's phase and date within an operation.
create index pathways_arrival on pathways (operation, arrival_date, phase);
