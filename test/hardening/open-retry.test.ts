// Found by npm run test:faults: when Temporal does not start a pathway's workflow (the server away,
// or its namespace not ready yet), opening answered 500. It is a dependency that is not there: 503
// with Retry-After, and the retry with the same Idempotency-Key starts what was written.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporalClient } from '../../src/temporal/client.js';
import { call, expectProblem, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
let away: FastifyInstance;
beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  // The same service, its Temporal client pointed at a namespace that does not exist.
  const config = { ...stack.config, temporal: { ...stack.config.temporal, namespace: 'not-there-yet' } };
  const client = await createTemporalClient(config, config.temporal.address!, stack.codec);
  away = await startTestApi({ ...stack, client }, stack.config);
});
afterAll(async () => {
  await away?.close();
  await app?.close();
  await stack?.stop();
});

describe('opening a pathway when Temporal does not start it', () => {
  it('answers 503 with Retry-After; the retry with the same Idempotency-Key opens it once', async () => {
    const request = {
      method: 'POST' as const,
      url: '/v1/pathways',
      headers: { 'idempotency-key': 'open-while-temporal-away-1' },
      payload: { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: person(9, ARRIVAL, { arrivedWith: 'siblings' }) },
    };
    const first = await call(away, stack, ACTORS.coordinator, request);
    expectProblem(first, 503, 'unavailable');
    expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);

    const retry = await call(app, stack, ACTORS.coordinator, request);
    expect(retry.statusCode).toBe(200);
    const id = retry.json().id as string;
    await waitFor(stack.client, id, (state) => state.version >= 1);
    const { rows } = await stack.db.pool.query("select count(*)::int as n from pathways where idempotency_key like '%open-while-temporal-away-1%'");
    expect(rows[0].n).toBe(1);
  });
});
