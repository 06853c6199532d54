import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import proto from '@temporalio/proto';
import { PROJECT_ROOT } from '../../../config/index.js';
import type { PathwayView } from '../../../src/domain/pathway.js';
import { queryState } from '../../../src/pathways/temporal-calls.js';
import { pathwayRuns } from '../../helpers/history.js';
import type { Accepted } from './caseload.js';
import type { TestCluster } from './cluster.js';

const NON_DETERMINISTIC = proto.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR;

/** Runs `work` over `items`, `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

interface AuditRow {
  pathway_id: string;
  seq: number;
  kind: string;
  action_id: string | null;
}

/**
 * Compares, pathway by pathway, what the clients were told with the audit table, the audit table
 * with the workflow's own sequence numbers, and the projection with the workflow's state.
 * Returns one line per disagreement.
 */
export async function compareWithWorkflows(shape: TestCluster, ids: string[], accepted: Accepted): Promise<{ mismatches: string[]; actions: number; entries: number }> {
  const mismatches: string[] = [];
  const { rows: audit } = await shape.pool.query<AuditRow>('select pathway_id, seq, kind, action_id from audit_entries where pathway_id = any($1) order by pathway_id, seq', [ids]);
  const { rows: projections } = await shape.pool.query('select id, status, current_stage, projection_version, closure_reason from pathways where id = any($1)', [ids]);
  const { rows: stageRows } = await shape.pool.query('select pathway_id, stage, status from pathway_stages where pathway_id = any($1)', [ids]);
  let actions = 0;
  await eachLimited(ids, 4, async (id) => {
    const entries = audit.filter((row) => row.pathway_id === id);
    const stored = entries.filter((row) => row.kind === 'action');
    actions += stored.length;
    const told = accepted.get(id) ?? new Map();
    for (const [actionId, { type, version }] of told) {
      const matching = stored.filter((row) => row.action_id === actionId);
      if (matching.length !== 1) mismatches.push(`${id}: ${type} (${actionId}) was accepted and is stored ${matching.length} times`);
      else if (matching[0]!.seq !== version) mismatches.push(`${id}: ${type} answered version ${version}, stored as entry ${matching[0]!.seq}`);
    }
    for (const row of stored.filter((r) => !told.has(r.action_id))) mismatches.push(`${id}: entry ${row.seq} is an action no client was told about`);

    const state: PathwayView = await queryState(shape.client, id, 30_000);
    const seqs = entries.map((row) => row.seq);
    if (state.version !== entries.length || seqs.some((seq, i) => seq !== i + 1)) {
      mismatches.push(`${id}: the workflow is at version ${state.version}; PostgreSQL holds entries ${seqs.join(',')}`);
    }
    const projection = projections.find((row) => row.id === id);
    const expected = { status: state.status, current_stage: state.currentStage, projection_version: state.version, closure_reason: state.closure?.reason ?? null };
    const got = projection && { status: projection.status, current_stage: projection.current_stage, projection_version: projection.projection_version, closure_reason: projection.closure_reason };
    if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${id}: projection ${JSON.stringify(got)} but the workflow says ${JSON.stringify(expected)}`);
    for (const stage of state.stages) {
      const row = stageRows.find((r) => r.pathway_id === id && r.stage === stage.stage);
      if (row?.status !== stage.status) mismatches.push(`${id}: stage ${stage.stage} is ${row?.status} in the projection, ${stage.status} in the workflow`);
    }
  });
  return { mismatches, actions, entries: audit.length };
}

/** Workflow tasks that failed for non-determinism, over every run of the given pathways. */
export async function nonDeterminismFailures(shape: TestCluster, ids: string[]): Promise<string[]> {
  const found: string[] = [];
  await eachLimited(ids, 4, async (id) => {
    for (const run of await pathwayRuns(shape.client, id)) {
      const failed = (run.history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes?.cause === NON_DETERMINISTIC);
      if (failed.length) found.push(`${id} (run ${run.runId}): ${failed.length} workflow task(s) failed for non-determinism`);
    }
  });
  const logs = await readdir(shape.cluster.logsDir);
  for (const file of logs.filter((f) => f.startsWith('worker'))) {
    const text = await readFile(path.join(shape.cluster.logsDir, file), 'utf8');
    if (/nondetermin/i.test(text)) found.push(`${file} mentions non-determinism`);
  }
  return found;
}

/** `npm run audit:verify` against the cluster, as an operator runs it there; its exit code and output. */
export async function auditVerify(shape: TestCluster): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'audit:verify'], { cwd: PROJECT_ROOT, env: shape.cluster.serviceEnv() });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : 1, output: `${stdout}\n${stderr}` };
  }
}

/** Personal values found in any log of the cluster: the service, Temporal, PostgreSQL. */
export async function personalValuesInLogs(shape: TestCluster, values: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await readdir(shape.cluster.logsDir)) {
    const text = await readFile(path.join(shape.cluster.logsDir, file), 'utf8');
    for (const value of values.filter((v) => text.includes(v))) found.push(`${value} in ${file}`);
  }
  return found;
}
