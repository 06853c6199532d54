import { CACHED_PATHWAY_MIB, loadConfig } from '../../config/index.js';
import { crewOf } from '../lib/api.js';
import { pathwaysRecorded, quiet, workerRss, type Bench } from '../lib/context.js';
import { warmUp } from './compare.js';
import { caseloadCohorts, scaledTable, singlePerson, tableTotal } from '../lib/people.js';
import { concurrently, progress, round } from '../lib/stats.js';

/** What the worker is told it may use beyond its cache: the README's budget is this plus the cache's memory. */
export const WORKER_BASE_MIB = 300;

export interface ScaleWindow {
  /** Pathways alive when the window began. */
  live: number;
  /** Single opens recorded per second over the window. */
  perSecond: number;
}

export interface ScaleFigures {
  pathways: number;
  first: ScaleWindow;
  last: ScaleWindow;
  /** The worker's RSS after every batch of background opens. */
  rss: { live: number; rssMiB: number }[];
  cachedPathways: number;
  budgetMiB: number;
  peakRssMiB: number;
  seconds: number;
}

const crew = crewOf('bench-scale');

/**
 * Scale: `size` pathways opened and kept alive (template time as is). Single opens by the clients
 * are timed in a window at the start and one at the end, and the worker's RSS is read as the
 * pathways pile up, against the budget its configuration names.
 */
export async function scalePhase(bench: Bench): Promise<ScaleFigures> {
  const { pathways: size, window } = bench.sizes.scale;
  const started = performance.now();
  // The worker process reads the same environment on the same machine: the same cache.
  const cachedPathways = loadConfig({ ...process.env, NODE_ENV: 'development' }).temporal.maxCachedWorkflows;
  const budgetMiB = WORKER_BASE_MIB + cachedPathways * CACHED_PATHWAY_MIB;
  const rss: ScaleFigures['rss'] = [];
  let live = 0;

  const timedWindow = async (tag: string): Promise<ScaleWindow> => {
    // Cohorts keep their workers busy a while after their first writes (family news): up to a minute.
    for (let i = 0; i < 6 && !(await quiet(bench)); i++);
    const at = live;
    const ids: string[] = [];
    const t0 = performance.now();
    await concurrently(Array.from({ length: window }, (_, i) => i), bench.sizes.clients, async (i) => {
      const { familyGroupId: _, ...rest } = singlePerson(i, bench.today);
      const body = { programme: 'KZ', operation: 'Zhusan', phase: '1', arrivalDate: bench.today, ...rest };
      const answer = await bench.api.request(crew.coordinator, 'POST', '/v1/pathways', body, { 'idempotency-key': `scale-${tag}-${i}`, prefer: 'return=minimal' });
      if (answer.status === 201) ids.push(answer.body.id);
    });
    await pathwaysRecorded(bench.pool, ids, 900_000);
    live += ids.length;
    const figures = { live: at, perSecond: (ids.length / (performance.now() - t0)) * 1000 };
    progress(`scale: ${round(figures.perSecond, 1)} single opens/s with ${at} alive`);
    return figures;
  };

  await warmUp(bench);
  const first = await timedWindow('first');
  const table = scaledTable(1);
  let batch = 0;
  while (live < size - window) {
    // The caseload as cohorts, cut to what is still missing.
    const wanted = Math.min(tableTotal(table), size - window - live);
    const cohorts = caseloadCohorts(scaledTable(wanted / tableTotal(table)), `scale-${batch++}`, bench.today);
    const ids: string[] = [];
    await concurrently(cohorts, 2, async (body, i) => {
      const answer = await bench.api.request(crew.coordinator, 'POST', '/v1/cohorts', body, { 'idempotency-key': `scale-${batch}-${i}` });
      if (answer.status === 201) ids.push(...(answer.body.pathways as { id: string }[]).map((p) => p.id));
    });
    if (ids.length === 0) throw new Error('scale: a batch of cohorts opened nobody');
    await pathwaysRecorded(bench.pool, ids, 900_000);
    live += ids.length;
    rss.push({ live, rssMiB: await workerRss(bench, 'service') });
    progress(`scale: ${live} alive; worker RSS ${round(rss.at(-1)!.rssMiB)} MiB (budget ${round(budgetMiB)} MiB)`);
  }
  const last = await timedWindow('last');
  rss.push({ live, rssMiB: await workerRss(bench, 'service') });
  return {
    pathways: live,
    first,
    last,
    rss,
    cachedPathways,
    budgetMiB,
    peakRssMiB: Math.max(...rss.map((r) => r.rssMiB)),
    seconds: (performance.now() - started) / 1000,
  };
}
