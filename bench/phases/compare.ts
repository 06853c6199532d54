import { randomUUID } from 'node:crypto';
import { workflowIdOf } from '../../src/domain/model.js';
import type { PathwayView } from '../../src/domain/pathway.js';
import { baseline, baselineActUpdate, baselineStateQuery } from '../baseline/workflows.js';
import { crewOf } from '../lib/api.js';
import { baselineRecorded, cpuNow, pathwaysRecorded, quiet, workerRss, type Bench, type Side } from '../lib/context.js';
import { familiesOfFour, singleOpening } from '../lib/people.js';
import { cpuPer, type CpuPer } from '../lib/proc.js';
import { concurrently, latencies, progress, round, type Latencies } from '../lib/stats.js';

/** Opening N pathways (or baseline workflows) and waiting until each has done its first durable write. */
export interface OpenFigures {
  count: number;
  /** Opened and recorded per second: from the first request until the last first write. */
  perSecond: number;
  /** Answered per second: until the last request was answered. */
  answeredPerSecond: number;
  latency: Latencies;
  cpuMs: CpuPer;
  /** The worker's RSS growth while opening, in MiB. */
  rssDeltaMiB: number;
  errors: number;
}

export interface RoundFigures {
  side: Side;
  open: OpenFigures;
  read: Latencies & { errors: number; cpuMs: CpuPer };
  /** `historyEvents`: what one action adds to its workflow's history (a sample's mean). */
  act: Latencies & { errors: number; cpuMs: CpuPer; historyEvents: number };
  /** The service only: one cohort in families of four. */
  cohort?: OpenFigures;
}

const crew = crewOf('bench');

/** CPU per item of `work`, which answers how many items it did (node / Temporal / PostgreSQL). */
async function cpuOf(bench: Bench, side: Side, work: () => Promise<number>): Promise<CpuPer> {
  const before = await cpuNow(bench, side);
  const items = await work();
  return cpuPer(before, await cpuNow(bench, side), Math.max(1, items));
}

async function measureOpen(bench: Bench, side: Side, count: number, open: () => Promise<string[]>, recorded: (ids: string[]) => Promise<void>, answeredMs: () => number) {
  const [cpuBefore, rssBefore] = [await cpuNow(bench, side), await workerRss(bench, side)];
  const started = performance.now();
  const ids = await open();
  const answered = answeredMs() - started;
  await recorded(ids);
  const elapsed = performance.now() - started;
  // What the opens set off after their first write (the rest of the workflow task) is theirs, not the reads'.
  await quiet(bench);
  const cpuMs = cpuPer(cpuBefore, await cpuNow(bench, side), ids.length);
  const rssDeltaMiB = (await workerRss(bench, side)) - rssBefore;
  return { ids, perSecond: (ids.length / elapsed) * 1000, answeredPerSecond: (count / answered) * 1000, cpuMs, rssDeltaMiB };
}

async function serviceRound(bench: Bench, tag: string): Promise<RoundFigures> {
  const { sizes, api } = bench;
  const openMs: number[] = [];
  let lastAnswer = 0;
  let openErrors = 0;
  const opened = await measureOpen(
    bench,
    'service',
    sizes.open,
    async () => {
      const ids: string[] = [];
      await concurrently(Array.from({ length: sizes.open }, (_, i) => i), sizes.clients, async (i) => {
        const body = singleOpening(i, bench.today);
        // As the console asks: the new state comes back with the answer.
        const answer = await api.request(crew.coordinator, 'POST', '/v1/pathways', body, { 'idempotency-key': `${tag}-${i}` });
        lastAnswer = performance.now();
        if (answer.status !== 201) openErrors += 1;
        else {
          openMs.push(answer.ms);
          ids.push(answer.body.id);
        }
      });
      return ids;
    },
    (ids) => pathwaysRecorded(bench.pool, ids),
    () => lastAnswer,
  );

  // Read each as staff: the state lists the actions staff may send now.
  const views = new Map<string, PathwayView>();
  const readMs: number[] = [];
  let readErrors = 0;
  const readCpuMs = await cpuOf(bench, 'service', async () => {
    await concurrently(opened.ids, sizes.clients, async (id) => {
      const answer = await api.request(crew.staff, 'GET', `/v1/pathways/${id}`);
      if (answer.status !== 200) readErrors += 1;
      else {
        readMs.push(answer.ms);
        views.set(id, answer.body);
      }
    });
    return readMs.length;
  });

  const actMs: number[] = [];
  let actErrors = 0;
  const actions = [...views].flatMap(([id, view]) => {
    const action = view.availableActions.find((a) => a.routine);
    return action ? [{ id, type: action.type, payload: action.example }] : [];
  });
  const sampled = actions.slice(0, HISTORY_SAMPLE).map((a) => workflowIdOf(a.id));
  const eventsBefore = await historyLengths(bench, sampled);
  const actCpuMs = await cpuOf(bench, 'service', async () => {
    await concurrently(actions, sizes.clients, async ({ id, type, payload }) => {
      // As the console asks: the new state comes back with the answer.
      const answer = await api.request(crew.staff, 'POST', `/v1/pathways/${id}/actions`, { type, payload, actionId: randomUUID() });
      if (answer.status !== 200) actErrors += 1;
      else actMs.push(answer.ms);
    });
    return actMs.length;
  });
  actErrors += opened.ids.length - actions.length;
  const historyEvents = eventsPerAction(eventsBefore, await historyLengths(bench, sampled));

  await quiet(bench);
  let cohortAnswer = 0;
  let cohortErrors = 0;
  const cohort = await measureOpen(
    bench,
    'service',
    sizes.cohort,
    async () => {
      const answer = await api.request(crew.coordinator, 'POST', '/v1/cohorts', familiesOfFour(sizes.cohort, `${tag}-cohort`, bench.today), {
        'idempotency-key': `${tag}-cohort`,
      });
      cohortAnswer = performance.now();
      if (answer.status !== 201) {
        cohortErrors += 1;
        return [];
      }
      return (answer.body.pathways as { id: string }[]).map((p) => p.id);
    },
    (ids) => pathwaysRecorded(bench.pool, ids),
    () => cohortAnswer,
  );
  const openFigures = (o: typeof opened, ms: number[], errors: number, count: number): OpenFigures => ({
    count,
    perSecond: o.perSecond,
    answeredPerSecond: o.answeredPerSecond,
    latency: latencies(ms),
    cpuMs: o.cpuMs,
    rssDeltaMiB: o.rssDeltaMiB,
    errors,
  });
  return {
    side: 'service',
    open: openFigures(opened, openMs, openErrors, sizes.open),
    read: { ...latencies(readMs), errors: readErrors, cpuMs: readCpuMs },
    act: { ...latencies(actMs), errors: actErrors, cpuMs: actCpuMs, historyEvents },
    cohort: openFigures(cohort, [], cohortErrors, sizes.cohort),
  };
}

async function baselineRound(bench: Bench, tag: string): Promise<RoundFigures> {
  const { sizes, bare } = bench;
  const openMs: number[] = [];
  let lastAnswer = 0;
  let openErrors = 0;
  const opened = await measureOpen(
    bench,
    'baseline',
    sizes.open,
    async () => {
      const ids: string[] = [];
      await concurrently(Array.from({ length: sizes.open }, (_, i) => i), sizes.clients, async (i) => {
        const id = `baseline-${tag}-${i}-${randomUUID()}`;
        const started = performance.now();
        try {
          await bare.workflow.start(baseline, { workflowId: id, taskQueue: bench.baselineTaskQueue, args: [id] });
          openMs.push(performance.now() - started);
          ids.push(id);
        } catch {
          openErrors += 1;
        }
        lastAnswer = performance.now();
      });
      return ids;
    },
    (ids) => baselineRecorded(bench.pool, ids),
    () => lastAnswer,
  );
  const call = async (ms: number[], work: () => Promise<unknown>) => {
    const started = performance.now();
    try {
      await work();
      ms.push(performance.now() - started);
      return 0;
    } catch {
      return 1;
    }
  };
  const readMs: number[] = [];
  let readErrors = 0;
  const readCpuMs = await cpuOf(bench, 'baseline', async () => {
    await concurrently(opened.ids, sizes.clients, async (id) => {
      readErrors += await call(readMs, () => bare.workflow.getHandle(id).query(baselineStateQuery));
    });
    return readMs.length;
  });
  const actMs: number[] = [];
  let actErrors = 0;
  const sampled = opened.ids.slice(0, HISTORY_SAMPLE);
  const eventsBefore = await historyLengths(bench, sampled);
  const actCpuMs = await cpuOf(bench, 'baseline', async () => {
    await concurrently(opened.ids, sizes.clients, async (id) => {
      actErrors += await call(actMs, () => bare.workflow.getHandle(id).executeUpdate(baselineActUpdate, { args: [{ type: 'act' }], updateId: randomUUID() }));
    });
    return actMs.length;
  });
  return {
    side: 'baseline',
    open: { count: sizes.open, perSecond: opened.perSecond, answeredPerSecond: opened.answeredPerSecond, latency: latencies(openMs), cpuMs: opened.cpuMs, rssDeltaMiB: opened.rssDeltaMiB, errors: openErrors },
    read: { ...latencies(readMs), errors: readErrors, cpuMs: readCpuMs },
    act: { ...latencies(actMs), errors: actErrors, cpuMs: actCpuMs, historyEvents: eventsPerAction(eventsBefore, await historyLengths(bench, sampled)) },
  };
}

/** Pathways (or baseline workflows) whose histories are counted before and after their action. */
const HISTORY_SAMPLE = 5;

async function historyLengths(bench: Bench, workflowIds: string[]): Promise<number[]> {
  return Promise.all(workflowIds.map(async (id) => (await bench.bare.workflow.getHandle(id).fetchHistory()).events?.length ?? 0));
}

/** Events each action added to its workflow's history, on average over the sample. */
function eventsPerAction(before: number[], after: number[]): number {
  return before.length ? after.reduce((sum, n, i) => sum + n - before[i]!, 0) / before.length : 0;
}

/** A few of each before measuring: code paths compiled, the workers' workflow sandboxes made. */
export async function warmUp(bench: Bench): Promise<void> {
  const few = { ...bench, sizes: { ...bench.sizes, open: 8, cohort: 8 } };
  await serviceRound(few, 'warm-up');
  await baselineRound(few, 'warm-up');
  await quiet(bench);
}

function line(r: RoundFigures): string {
  const o = r.open;
  const parts = [
    `open ${round(o.perSecond, 1)}/s (p50 ${round(o.latency.p50)} ms, ${round(o.cpuMs.total, 1)} CPU ms each)`,
    `read p50 ${round(r.read.p50)} ms`,
    `act p50 ${round(r.act.p50)} ms`,
  ];
  if (r.cohort) parts.push(`cohort ${round(r.cohort.perSecond, 1)}/s`);
  const errors = o.errors + r.read.errors + r.act.errors + (r.cohort?.errors ?? 0);
  return `${parts.join(', ')}${errors ? `, ${errors} errors` : ''}`;
}

/** Alternating rounds, service then baseline, against the same servers. */
export async function compareRounds(bench: Bench): Promise<{ service: RoundFigures[]; baseline: RoundFigures[] }> {
  const service: RoundFigures[] = [];
  const baselineRounds: RoundFigures[] = [];
  for (let r = 1; r <= bench.sizes.rounds; r++) {
    const s = await serviceRound(bench, `round-${r}`);
    service.push(s);
    progress(`round ${r}/${bench.sizes.rounds} service:  ${line(s)}`);
    await quiet(bench);
    const b = await baselineRound(bench, `round-${r}`);
    baselineRounds.push(b);
    progress(`round ${r}/${bench.sizes.rounds} baseline: ${line(b)}`);
    await quiet(bench);
  }
  return { service, baseline: baselineRounds };
}
