import type pg from 'pg';

/** The table the baseline writes to, apart from the service's own. */
export const BASELINE_SCHEMA = `
  create schema if not exists bench;
  create table if not exists bench.baseline_rows (
    id bigint generated always as identity primary key,
    workflow_id text not null,
    kind text not null,
    at timestamptz not null default now()
  );`;

export function baselineActivities(pool: pg.Pool) {
  return {
    async insertRow(workflowId: string, kind: string): Promise<void> {
      await pool.query('insert into bench.baseline_rows (workflow_id, kind) values ($1, $2)', [workflowId, kind]);
    },
  };
}
export type BaselineActivities = ReturnType<typeof baselineActivities>;
