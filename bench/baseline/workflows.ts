import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { STAGE } from '../../workflows/search-attributes.js';
import type { BaselineActivities } from './activities.js';

/** What the baseline keeps: a few numbers, as small as a state can be. */
export interface BaselineState {
  id: string;
  version: number;
  acts: number;
}

export const baselineActUpdate = defineUpdate<{ version: number }, [{ type: string }]>('baselineAct');
export const baselineStateQuery = defineQuery<BaselineState>('baselineState');

const { insertRow } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

/**
 * The durable minimum a pathway does: one row written on start and one search attribute set,
 * then waiting; each Update writes one row before it answers; a query reads the state.
 */
export async function baseline(id: string): Promise<void> {
  const state: BaselineState = { id, version: 0, acts: 0 };
  setHandler(baselineStateQuery, () => state);
  setHandler(baselineActUpdate, async ({ type }) => {
    await insertRow(id, type);
    state.acts += 1;
    state.version += 1;
    return { version: state.version };
  });
  await insertRow(id, 'opened');
  state.version += 1;
  upsertSearchAttributes([{ key: STAGE, value: 'baseline' }]);
  // Stays open, as a pathway does, until its run is discarded with the bench's servers.
  await condition(() => false);
}

export { baselineJourney } from './journey.js';
