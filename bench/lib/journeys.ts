import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Pool } from '../../src/db/pool.js';
import { journeyActUpdate, journeyStateQuery, type JourneyState, type JourneyStep } from '../baseline/journey.js';
import { concurrently, latencies, type Latencies } from './stats.js';

/**
 * Each pathway's journey as its audit trail shows it, after the opening: entries written at one
 * instant are one workflow task; one holding actions is that many Updates, one of events only is
 * a timer that fired (or news that came) that long after the task before it.
 */
export async function journeysOf(pool: Pool, ids: string[]): Promise<JourneyStep[][]> {
  const { rows } = await pool.query<{ pathway_id: string; at: string; actions: number }>(
    `select pathway_id, (extract(epoch from occurred_at) * 1000)::bigint::text as at, count(*) filter (where kind = 'action')::int as actions
       from audit_entries where pathway_id = any($1::uuid[])
      group by pathway_id, occurred_at order by pathway_id, occurred_at`,
    [ids],
  );
  const byPathway = new Map<string, { at: number; actions: number }[]>();
  for (const row of rows) {
    const tasks = byPathway.get(row.pathway_id) ?? [];
    tasks.push({ at: Number(row.at), actions: row.actions });
    byPathway.set(row.pathway_id, tasks);
  }
  return ids.map((id) => {
    const [opening, ...tasks] = byPathway.get(id) ?? [];
    let previous = opening?.at ?? 0;
    return tasks.flatMap(({ at, actions }): JourneyStep[] => {
      const delayMs = Math.max(0, at - previous);
      previous = at;
      return actions > 0 ? Array.from({ length: actions }, () => ({ kind: 'update' as const })) : [{ kind: 'timer', delayMs }];
    });
  });
}

export interface JourneyFigures {
  journeys: number;
  updates: number;
  timers: number;
  /** From the first start until the last journey ended. */
  seconds: number;
  done: number;
  leftOpen: number;
  update: Latencies;
  queries: number;
  problems: string[];
}

/** A journey with nothing to send waits this long before it is asked again, as the service's clients wait. */
const WAIT_MS = 1000;

/**
 * The bare baseline drives the same journeys: each started on its task queue, then `drivers`
 * clients sharing one queue ask a journey where it stands (or take the state the last Update
 * answered with) and send the Update it waits for.
 */
export async function driveJourneys(bare: Client, taskQueue: string, journeys: JourneyStep[][], options: { drivers: number; deadline: number; prefix: string }): Promise<JourneyFigures> {
  const started = performance.now();
  const ids = journeys.map((_, i) => `${options.prefix}-${i}`);
  await concurrently(ids, 16, async (id, i) => {
    await bare.workflow.start('baselineJourney', { workflowId: id, taskQueue, args: [id, journeys[i]!] });
  });
  const updateMs: number[] = [];
  const problems: string[] = [];
  let queries = 0;
  const queue = ids.map((id) => ({ id, notBefore: 0, seen: undefined as JourneyState | undefined }));
  const open = new Set(ids);
  const client = async () => {
    while (open.size > 0 && Date.now() < options.deadline) {
      const item = queue.shift();
      if (!item || item.notBefore > Date.now()) {
        if (item) queue.push(item);
        await sleep(20);
        continue;
      }
      const handle = bare.workflow.getHandle(item.id);
      try {
        const state = item.seen ?? (queries++, await handle.query(journeyStateQuery));
        item.seen = undefined;
        if (state.next >= state.steps) {
          open.delete(item.id);
          continue;
        }
        if (state.awaitingUpdate) {
          const t = performance.now();
          // One id per step: a resend after a lost answer is the same Update, never a second step.
          item.seen = await handle.executeUpdate(journeyActUpdate, { args: [{ step: state.next }], updateId: `${item.id}-${state.next}` });
          updateMs.push(performance.now() - t);
          queue.push({ ...item, notBefore: 0 });
        } else {
          queue.push({ ...item, notBefore: Date.now() + WAIT_MS });
        }
      } catch (error) {
        if (problems.length < 100) problems.push(`${item.id}: ${String(error)}`);
        queue.push({ ...item, notBefore: Date.now() + WAIT_MS });
      }
    }
  };
  await Promise.all(Array.from({ length: options.drivers }, client));
  const steps = journeys.flat();
  return {
    journeys: journeys.length,
    updates: steps.filter((s) => s.kind === 'update').length,
    timers: steps.filter((s) => s.kind === 'timer').length,
    seconds: (performance.now() - started) / 1000,
    done: ids.length - open.size,
    leftOpen: open.size,
    update: latencies(updateMs),
    queries,
    problems,
  };
}
