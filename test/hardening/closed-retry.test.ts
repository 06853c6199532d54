// Found by npm run test:faults: the answer to the action that closes a pathway can be lost (a
// worker killed, PostgreSQL frozen: 503), and by the time the caller retries with the same
// actionId the workflow has ended. The retry must learn the action was applied, as for any other.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PathwayView } from '../../src/domain/pathway.js';
import { call, expectProblem, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL, actorFor, stateOf } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000 });
  app = await startTestApi(stack);
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

/** Drives a TJ pathway to closure over HTTP; returns the request that closed it. */
async function closePathway(): Promise<{ id: string; close: { type: string; payload: unknown; actionId: string }; version: number }> {
  const opened = await call(app, stack, ACTORS.coordinator, {
    method: 'POST',
    url: '/v1/pathways',
    payload: { programme: 'TJ', operation: 'Iraq', arrivalDate: ARRIVAL, person: person(12, ARRIVAL, { arrivedWith: 'orphan' }) },
  });
  const id = opened.json().id as string;
  for (let step = 0; step < 500; step++) {
    const state: PathwayView = await stateOf(stack.client, id);
    const next = state.availableActions.find((a) => a.routine);
    if (!next) {
      await sleep(50);
      continue;
    }
    const body = { type: next.type, payload: next.example, actionId: randomUUID() };
    const answer = await call(app, stack, actorFor(next), { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: body });
    if (answer.statusCode === 200 && next.type === 'pathway.close') return { id, close: body, version: answer.json().version };
  }
  throw new Error('the pathway did not close');
}

describe('a retry of the action that closed a pathway', () => {
  it('answers applied: false with the version it made; other content under its id is refused; a new action finds the pathway closed', async () => {
    const { id, close, version } = await closePathway();
    const retry = await call(app, stack, ACTORS.supervisor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: close });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ actionId: close.actionId, applied: false, version });

    const reused = await call(app, stack, ACTORS.supervisor, {
      method: 'POST',
      url: `/v1/pathways/${id}/actions`,
      payload: { ...close, payload: { reason: 'withdrawn' } },
    });
    expect(expectProblem(reused, 409, 'action-id-reused').reason).toBe('action-id-reused');

    const fresh = await call(app, stack, ACTORS.supervisor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { ...close, actionId: randomUUID() } });
    expect(expectProblem(fresh, 409, 'action-refused').reason).toBe('closed');
    const { rows } = await stack.db.pool.query("select count(*)::int as n from audit_entries where pathway_id = $1 and type = 'pathway.close'", [id]);
    expect(rows[0].n).toBe(1);
  });
});
