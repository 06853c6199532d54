-- A worklist shows each listed pathway's blockers, which can state health or legal facts
-- ("in hospital", "waiting for the court"): every listing is written to the access log too.
alter table access_log drop constraint access_log_what_check;
alter table access_log add constraint access_log_what_check check (what in ('state', 'history', 'access-log', 'worklist'));
