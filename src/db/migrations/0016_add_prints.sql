-- A case summary or a referral letter printed from the console, and a case summary downloaded as
-- a PDF, carry the person's data off the screen: each is in the access log like a read.
alter table access_log drop constraint access_log_what_check;
alter table access_log add constraint access_log_what_check check (what in (
  'state', 'history', 'access-log', 'worklist', 'emergency-access', 'list', 'search', 'family', 'duplicates',
  'print-summary', 'print-letter', 'download-summary'));
