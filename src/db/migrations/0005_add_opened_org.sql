-- A family group belongs to the organisation and the arrival that created it, so the organisation
-- that opened a pathway is kept apart from the ones that may act on it now (which can change).
alter table pathways add column opened_org text;
update pathways p set opened_org = coalesce(
  (select a.actor_org from audit_entries a where a.pathway_id = p.id and a.seq = 1),
  (select min(o.organisation) from pathway_organisations o where o.pathway_id = p.id),
  'unknown');
alter table pathways alter column opened_org set not null;
drop index pathways_family_group;
create index pathways_family_group on pathways (family_group_id, opened_org) where family_group_id is not null;
