-- The pathway's whole state at its stored version, written with each batch: `GET /v1/pathways/:id`
-- answers from it, without asking the workflow. Null until the pathway's first batch written by a
-- worker that stores it: such reads ask the workflow, as before.
alter table pathways add column view jsonb;
