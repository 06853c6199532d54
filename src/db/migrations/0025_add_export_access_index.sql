-- An export's file holds only the pathways its access log names (src/exports/run.ts): found by the request.
create index access_log_exports on access_log (request_id) where what = 'export';
