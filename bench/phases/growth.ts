import { crewOf } from '../lib/api.js';
import { openCohorts, workerRss, type Bench } from '../lib/context.js';
import { DriveTally, driveToClosure } from '../lib/driver.js';
import { caseloadCohorts, scaledTable, tableTotal } from '../lib/people.js';
import { concurrently, latencies, progress, round, type Latencies } from '../lib/stats.js';

export interface GrowthStep {
  multiple: number;
  /** Pathways alive (open, waiting for their next step) while the sample runs. */
  live: number;
  /** Opening the live pathways added at this size, as cohorts: ms per pathway. */
  backgroundOpenMsPerPathway: number;
  /** The sample's single opens (POST /v1/pathways). */
  open: Latencies;
  action: Latencies;
  read: Latencies;
  sampleSeconds: number;
  sampleAccepted: number;
  sampleLeftOpen: number;
  workerRssMiB: number;
  /** (RSS now - RSS before the first live pathway) / live pathways. */
  workerRssPerLiveMiB: number;
  problems: string[];
}

export interface GrowthFigures {
  steps: GrowthStep[];
  /** Sizes left out because the phase would have run past its limit. */
  notReached: number[];
}

const crew = crewOf('bench-growth');

/** About `size` people shaped as Table 1, whole families, as single opens. */
function samplePeople(size: number, prefix: string, arrivalDate: string) {
  const table = scaledTable(size / tableTotal(scaledTable(1)));
  return caseloadCohorts(table, prefix, arrivalDate).flatMap((c) =>
    c.people.map((member) => ({ programme: c.programme, operation: c.operation, ...(c.phase ? { phase: c.phase } : {}), arrivalDate, ...member })),
  );
}

/**
 * Growth: the caseload opened again and again (with template time as is, so those pathways stay
 * alive in quarantine), and at each size the same sample of people opened with a compressed clock
 * and driven to closure among them.
 */
export async function growthPhase(bench: Bench): Promise<GrowthFigures> {
  const table = scaledTable(bench.sizes.caseloadFactor);
  const base = tableTotal(table);
  const steps: GrowthStep[] = [];
  const notReached: number[] = [];
  const idleRss = await workerRss(bench, 'service');
  const started = performance.now();
  let live = 0;
  let batch = 0;
  let msPerOpen: number | undefined;
  for (const multiple of bench.sizes.growth) {
    // A size that the opening rate so far says cannot be reached within the phase's time is left out, and said so.
    const needed = (multiple * base - live) * (msPerOpen ?? 0);
    if (performance.now() - started + needed > bench.sizes.growthLimitMs) {
      notReached.push(multiple);
      progress(`growth x${multiple}: left out, opening ${multiple * base - live} more would take about ${Math.round(needed / 1000)} s, beyond the phase's limit`);
      continue;
    }
    const added = performance.now();
    const before = live;
    while (live < multiple * base) {
      const tag = `growth-${batch++}`;
      const ids = await openCohorts(bench.api, bench.pool, crew, caseloadCohorts(table, tag, bench.today), tag);
      live += ids.length;
      progress(`growth x${multiple}: ${live} live pathways`);
    }
    const backgroundOpenMsPerPathway = (performance.now() - added) / Math.max(1, live - before);
    msPerOpen = backgroundOpenMsPerPathway;

    // The sample: single opens with a compressed clock, then driven to closure.
    const people = samplePeople(bench.sizes.sample, `sample-${multiple}`, bench.today);
    const openMs: number[] = [];
    const ids: string[] = [];
    const problems: string[] = [];
    const sampleStarted = performance.now();
    await concurrently(people, bench.sizes.clients, async (body, i) => {
      const answer = await bench.fastApi.request(crew.coordinator, 'POST', '/v1/pathways', body, { 'idempotency-key': `sample-${multiple}-${i}` });
      if (answer.status !== 201) problems.push(`open: ${answer.status} ${answer.body?.code ?? ''}`);
      else {
        openMs.push(answer.ms);
        ids.push(answer.body.id);
      }
    });
    const tally = new DriveTally();
    const { open } = await driveToClosure(bench.fastApi, crew, ids, { drivers: bench.sizes.drivers, deadline: Date.now() + bench.sizes.sampleLimitMs, tally });
    const sampleSeconds = (performance.now() - sampleStarted) / 1000;
    const rss = await workerRss(bench, 'service');
    const step: GrowthStep = {
      multiple,
      live,
      backgroundOpenMsPerPathway,
      open: latencies(openMs),
      action: latencies(tally.actionMs),
      read: latencies(tally.readMs),
      sampleSeconds,
      sampleAccepted: tally.accepted,
      sampleLeftOpen: open.length,
      workerRssMiB: rss,
      workerRssPerLiveMiB: (rss - idleRss) / live,
      problems: [...problems, ...tally.problems],
    };
    steps.push(step);
    progress(
      `growth x${multiple}: ${live} live; sample of ${ids.length} closed in ${round(sampleSeconds)} s: open p50 ${round(step.open.p50)} ms, action p50 ${round(step.action.p50)} ms, read p50 ${round(step.read.p50)} ms; worker RSS ${round(rss)} MiB`,
    );
  }
  return { steps, notReached };
}
