-- What each pathway waits for, so a worklist need not ask every workflow: the actions it accepts
-- now (type, stage, roles, routine, excludedActors; no example payloads) and each stage's blockers.
-- Null for pathways not written since: a worklist shows them as unknown until their next change.
alter table pathways add column available_actions jsonb;
alter table pathway_stages add column blockers jsonb;
