import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { BaselineActivities } from './activities.js';

/**
 * One step of a pathway's journey as its audit trail shows it, for the baseline to drive the same
 * events: a timer firing `delayMs` after the step before it, or an Update a client sends.
 */
export type JourneyStep = { kind: 'timer'; delayMs: number } | { kind: 'update' };

/** Where a journey stands: the step it is at, and whether that step waits for an Update. */
export interface JourneyState {
  next: number;
  steps: number;
  awaitingUpdate: boolean;
}

export const journeyActUpdate = defineUpdate<JourneyState, [{ step: number }]>('journeyAct');
export const journeyStateQuery = defineQuery<JourneyState>('journeyState');

const { insertRow } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

/**
 * The durable minimum of a journey: a row on start, then each step in order, each writing one row
 * (a timer's after it fires, an Update's before it answers with the new state); done after the last.
 */
export async function baselineJourney(id: string, steps: JourneyStep[]): Promise<void> {
  let next = 0;
  const state = (): JourneyState => ({ next, steps: steps.length, awaitingUpdate: steps[next]?.kind === 'update' });
  setHandler(journeyStateQuery, state);
  setHandler(
    journeyActUpdate,
    async () => {
      await insertRow(id, 'update');
      next += 1;
      return state();
    },
    {
      validator: ({ step }) => {
        if (step !== next || steps[next]?.kind !== 'update') throw new Error(`step ${step} is not awaited: the journey is at ${next}`);
      },
    },
  );
  await insertRow(id, 'opened');
  while (next < steps.length) {
    const step = steps[next]!;
    if (step.kind === 'update') {
      const at = next;
      await condition(() => next > at);
      continue;
    }
    await sleep(Math.max(1, step.delayMs));
    await insertRow(id, 'timer');
    next += 1;
  }
}
