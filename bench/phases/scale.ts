import { loadConfig, workerMemoryBudgetMiB } from '../../config/index.js';
import { crewOf } from '../lib/api.js';
import { openCohorts, pathwaysRecorded, quiet, workerRss, type Bench } from '../lib/context.js';
import { warmUp } from './compare.js';
import { caseloadCohorts, scaledTable, singleOpening, tableTotal } from '../lib/people.js';
import { concurrently, progress, round } from '../lib/stats.js';

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
  const budgetMiB = workerMemoryBudgetMiB(cachedPathways);
  const rss: ScaleFigures['rss'] = [];
  let live = 0;

  const timedWindow = async (tag: string): Promise<ScaleWindow> => {
    // Cohorts keep their workers busy a while after their first writes (family news).
    await quiet(bench, 60_000);
    const at = live;
    const ids: string[] = [];
    const t0 = performance.now();
    await concurrently(Array.from({ length: window }, (_, i) => i), bench.sizes.clients, async (i) => {
      const answer = await bench.api.request(crew.coordinator, 'POST', '/v1/pathways', singleOpening(i, bench.today), { 'idempotency-key': `scale-${tag}-${i}`, prefer: 'return=minimal' });
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
    const tag = `scale-${batch++}`;
    const ids = await openCohorts(bench.api, bench.pool, crew, caseloadCohorts(scaledTable(wanted / tableTotal(table)), tag, bench.today), tag);
    if (ids.length === 0) throw new Error('scale: a batch of cohorts opened nobody');
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
