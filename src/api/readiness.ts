import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { openIncidents, type OpenIncident } from '../db/incidents.js';
import type { Pool } from '../db/pool.js';

const CHECK_TIMEOUT_MS = 2000;
// An idle worker long-polls for about a minute between two requests; older than this, it is gone.
const POLLER_FRESH_MS = 90_000;

export interface Readiness {
  ready: boolean;
  checks: { postgres: 'ok' | 'unavailable'; temporal: 'ok' | 'unavailable'; worker: 'ok' | 'not-polling' | 'unknown' };
  /** Open incidents (ids, kinds and codes only): README, Reliability. */
  incidents: OpenIncident[];
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/** Whether PostgreSQL answers, and the open incidents it holds. */
async function postgresAnswers(pool: Pool): Promise<{ ok: boolean; incidents: Readiness['incidents'] }> {
  const ok = await withTimeout(pool.query('select 1')).then(() => true, () => false);
  // A database not yet migrated has no incidents table: that is no reason to be unready.
  const incidents = ok ? await withTimeout(openIncidents(pool)).catch(() => []) : [];
  return { ok, incidents };
}

async function workerPolls(client: Client, taskQueue: string): Promise<'ok' | 'not-polling' | 'unknown'> {
  const deadline = Date.now() + CHECK_TIMEOUT_MS;
  try {
    const { pollers } = await client.connection.withDeadline(deadline, () =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    const fresh = pollers.some((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 > Date.now() - POLLER_FRESH_MS);
    return fresh ? 'ok' : 'not-polling';
  } catch {
    return 'unknown';
  }
}

async function temporalAnswers(client: Client): Promise<boolean> {
  const deadline = Date.now() + CHECK_TIMEOUT_MS;
  return client.connection
    .withDeadline(deadline, () => client.workflowService.getSystemInfo({}))
    .then(() => true, () => false);
}

/**
 * Ready when PostgreSQL and Temporal answer and a worker polls the task queue. A pathway's incident
 * is reported, not a reason to stop serving the others.
 */
export async function checkReadiness(deps: { pool: Pool; client: Client; taskQueue: string }): Promise<Readiness> {
  const [{ ok: postgres, incidents }, temporal] = await Promise.all([postgresAnswers(deps.pool), temporalAnswers(deps.client)]);
  const worker = temporal ? await workerPolls(deps.client, deps.taskQueue) : 'unknown';
  const checks = { postgres: postgres ? 'ok' : 'unavailable', temporal: temporal ? 'ok' : 'unavailable', worker } as const;
  return { ready: postgres && temporal && worker === 'ok', checks, incidents };
}
