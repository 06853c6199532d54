import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeAction } from '../../src/pathways/temporal-calls.js';
import { ACTORS, ARRIVAL, openOne, stateOf, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { WORKER_WORKFLOW_POLLS: '6', WORKER_NON_STICKY_POLL_RATIO: '0.5' } });
});
afterAll(() => stack?.stop());

describe('the pathway worker', () => {
  it('polls for workflow tasks as configured, and runs pathways so', async () => {
    expect(stack.worker!.worker.options).toMatchObject({
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 6 },
      nonStickyToStickyPollRatio: 0.5,
      maxCachedWorkflows: stack.config.temporal.maxCachedWorkflows,
    });
    const id = await openOne(stack, 'KZ', person(9, ARRIVAL, { arrivedWith: 'mother' }));
    await waitFor(stack.client, id, (s) => s.version >= 1);
  });
});

describe("an action's answer", () => {
  it('carries the state once the action is recorded when the sender asks, and only then', async () => {
    const id = await openOne(stack, 'KZ', person(10, ARRIVAL, { arrivedWith: 'mother' }));
    await waitFor(stack.client, id, (s) => s.version >= 1);
    const envelope = { pathwayId: id, type: 'medical.record-screening', payload: { result: 'cleared' }, actor: ACTORS.staff };
    const bare = await executeAction(stack.client, { ...envelope, actionId: randomUUID() }, 30_000);
    expect(bare).toEqual({ pathwayId: id, applied: true, version: bare.version });

    const next = (await stateOf(stack.client, id)).availableActions.find((a) => a.routine && a.roles.includes('staff'))!;
    const actionId = randomUUID();
    const shown = await executeAction(stack.client, { ...envelope, type: next.type, payload: next.example, actionId, withState: true }, 30_000);
    expect(shown.state).toMatchObject({ pathwayId: id, version: shown.version });
    expect(shown.state!.stages).toEqual((await stateOf(stack.client, id)).stages);
    // A retry of the same action answers with the state as it stands, and changes nothing.
    const again = await executeAction(stack.client, { ...envelope, type: next.type, payload: next.example, actionId, withState: true }, 30_000);
    expect(again).toMatchObject({ applied: false, version: shown.version, state: { version: shown.version } });
  });
});
