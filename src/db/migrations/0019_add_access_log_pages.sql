-- The access log of one pathway is read a page at a time, in the order it was written: every
-- worklist and list a pathway shows in adds a row, so a busy pathway's log is long.
create index access_log_pages on access_log (pathway_id, id);
