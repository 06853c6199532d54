import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Pool } from '../../src/db/pool.js';
import type { BenchApi, Crew } from './api.js';
import type { CohortBody } from './people.js';
import { readCpu, rssMiB, type CpuReading } from './proc.js';
import { concurrently } from './stats.js';
import type { WorkerProcess } from './workers.js';

/** How big each phase is: the full bench, or `--quick`. */
export interface Sizes {
  rounds: number;
  /** Pathways opened one by one per round (and baseline workflows started). */
  open: number;
  /** People in the round's cohort, in families of four. */
  cohort: number;
  /** Concurrent clients in the open, read and act comparisons. */
  clients: number;
  /** Share of Table 1 in the caseload (1: all of it). */
  caseloadFactor: number;
  /** Concurrent clients driving the caseload and the growth samples. */
  drivers: number;
  /** Live pathways in the growth phase, as multiples of the caseload. */
  growth: number[];
  /** Pathways driven to closure at each growth size. */
  sample: number;
  /** Template seconds per real second for pathways driven to closure. */
  clockScale: number;
  /** The caseload phase stops driving after this long (a bound, not its goal), reporting what is left open; so does its baseline. */
  caseloadLimitMs: number;
  /** Each growth sample stops driving after this long, reporting what is left open. */
  sampleLimitMs: number;
  /** The growth phase leaves out the sizes it could not reach in this time. */
  growthLimitMs: number;
  /** The scale phase (`--phases scale`, not in the default run): pathways kept alive, and the single opens timed at its start and end. */
  scale: { pathways: number; window: number };
}

export const FULL: Sizes = {
  rounds: 5,
  open: 200,
  cohort: 200,
  clients: 16,
  caseloadFactor: 1,
  drivers: 32,
  growth: [1, 2, 4],
  sample: 100,
  // A week a second: a month's check-in period lasts about 4 s, long enough for the clients to come
  // back to most pathways in time, while the whole template runs in about a minute.
  clockScale: 86_400 * 7,
  caseloadLimitMs: 120 * 60_000,
  sampleLimitMs: 15 * 60_000,
  growthLimitMs: 12 * 60_000,
  scale: { pathways: 10_000, window: 400 },
};

export const QUICK: Sizes = {
  ...FULL,
  rounds: 1,
  open: 48,
  cohort: 48,
  caseloadFactor: 0.03,
  growth: [1, 2, 4],
  sample: 10,
  // A month a second: the whole template in about 15 s, so that three samples fit in a quick run.
  clockScale: 86_400 * 30,
  caseloadLimitMs: 2 * 60_000,
  sampleLimitMs: 2 * 60_000,
  growthLimitMs: 4 * 60_000,
  scale: { pathways: 800, window: 100 },
};

/** What every phase runs against. */
export interface Bench {
  sizes: Sizes;
  pool: Pool;
  /** The service's API with template time as is (comparisons, live pathways of the growth phase). */
  api: BenchApi;
  /** The same API opening pathways with a compressed clock (caseload, growth samples). */
  fastApi: BenchApi;
  /** A bare client (no payload codec) for the baseline workflows. */
  bare: Client;
  baselineTaskQueue: string;
  serviceWorker: WorkerProcess;
  baselineWorker: WorkerProcess;
  temporalPid?: number;
  postgresPid?: number;
  /** Today, as YYYY-MM-DD: arrivals of pathways that must stay quiet. */
  today: string;
}

export type Side = 'service' | 'baseline';

export function cpuNow(bench: Bench, side: Side): Promise<CpuReading> {
  const worker = side === 'service' ? bench.serviceWorker : bench.baselineWorker;
  return readCpu({ node: () => [process.pid, worker.pid], temporal: bench.temporalPid, postgres: bench.postgresPid });
}

/**
 * Waits until the work a phase set off has finished (Temporal and both workers below a tenth of a
 * core over a quarter of a second, at most `limitMs`), so the next phase does not pay for it.
 * Without our own Temporal server only the workers are watched.
 */
export async function quiet(bench: Bench, limitMs = 10_000): Promise<void> {
  const busyMs = async () => {
    const reading = await readCpu({ node: () => [bench.serviceWorker.pid, bench.baselineWorker.pid], temporal: bench.temporalPid });
    return reading.node + (reading.temporal ?? 0);
  };
  const deadline = Date.now() + limitMs;
  let before = await busyMs();
  while (Date.now() < deadline) {
    await sleep(250);
    const after = await busyMs();
    if (after - before < 25) return;
    before = after;
  }
}

export async function workerRss(bench: Bench, side: Side): Promise<number> {
  return (await rssMiB((side === 'service' ? bench.serviceWorker : bench.baselineWorker).pid)) ?? Number.NaN;
}

/** Waits until PostgreSQL has the first projection of every pathway (the service's durable open). */
export async function pathwaysRecorded(pool: Pool, ids: string[], timeoutMs = 300_000): Promise<void> {
  await until(async () => {
    const { rows } = await pool.query('select count(*)::int as n from pathways where id = any($1::uuid[]) and projection_version > 0', [ids]);
    return rows[0].n >= ids.length;
  }, timeoutMs, `${ids.length} pathways recorded`);
}

/**
 * Opens cohorts two at a time (the coordinators of different arrivals work side by side) and waits
 * until every member has its first projection. A refused cohort is described in `problems`.
 */
export async function openCohorts(api: BenchApi, pool: Pool, crew: Crew, cohorts: CohortBody[], key: string, problems: string[] = []): Promise<string[]> {
  const ids: string[] = [];
  const refused: string[] = [];
  await concurrently(cohorts, 2, async (body, i) => {
    const answer = await api.request(crew.coordinator, 'POST', '/v1/cohorts', body, { 'idempotency-key': `${key}-${i}` });
    if (answer.status !== 201) refused.push(`cohort ${body.programme} ${body.operation} ${body.phase ?? ''}: ${answer.status} ${answer.body?.code ?? ''}`);
    else ids.push(...(answer.body.pathways as { id: string }[]).map((p) => p.id));
  });
  problems.push(...refused);
  // Nothing opened at all is no figure: a phase waiting for pathways would wait for ever.
  if (cohorts.length && !ids.length) throw new Error(`no cohort opened: ${refused.slice(0, 3).join('; ')}`);
  await pathwaysRecorded(pool, ids, 900_000);
  return ids;
}

/** Waits until the baseline has written its first row for every workflow. */
export async function baselineRecorded(pool: Pool, ids: string[], timeoutMs = 300_000): Promise<void> {
  await until(async () => {
    const { rows } = await pool.query("select count(*)::int as n from bench.baseline_rows where workflow_id = any($1::text[]) and kind = 'opened'", [ids]);
    return rows[0].n >= ids.length;
  }, timeoutMs, `${ids.length} baseline workflows recorded`);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
