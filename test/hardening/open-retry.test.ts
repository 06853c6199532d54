// Found by npm run test:faults: when Temporal does not start a pathway's workflow (the server away,
// or its namespace not ready yet), opening answered 500. It is a dependency that is not there: 503
// with Retry-After, and the retry with the same Idempotency-Key starts what was written.
// A retry whose first attempt wrote the opening starts the workflow as written; and an action that
// comes with a pathway's first workflow task is recorded after the opening the API wrote.
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyAudit } from '../../src/audit-verify.js';
import { createTemporalClient } from '../../src/temporal/client.js';
import { startWorker } from '../../src/temporal/worker.js';
import { call, expectProblem, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { expectStoredIsOwn } from '../helpers/projection.js';
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

/** A worker on the stack's task queue, for tests that hold a pathway's first task back. */
const newWorker = () => startWorker({ config: stack.config, address: stack.config.temporal.address!, pool: stack.db.pool, bundle: { codePath: inject('workflowBundlePath') }, codec: stack.codec });

/** An action the supervisor may send as soon as a pathway opens. */
const recordAssessment = (id: string, actionId: string) =>
  call(app, stack, ACTORS.supervisor, {
    method: 'POST',
    url: `/v1/pathways/${id}/actions`,
    payload: { type: 'psychosocial.record-assessment', payload: { psychological: 'low', social: 'low' }, actionId },
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

  it('started by the retry, takes the opening the first attempt wrote as its own: an action sent at once follows it, the trail chained', async () => {
    // Typed in 40 days late: the opening records what is already overdue.
    const arrival = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    const request = {
      method: 'POST' as const,
      url: '/v1/pathways',
      headers: { 'idempotency-key': 'open-while-temporal-away-2' },
      payload: { programme: 'KZ', operation: stack.templates.get('KZ')!.operations[0]!.name, arrivalDate: arrival, person: person(33, arrival, { sex: 'female' }) },
    };
    expectProblem(await call(away, stack, ACTORS.coordinator, request), 503, 'unavailable');
    const entries = async (id: string) =>
      (await stack.db.pool.query('select seq, type, occurred_at from audit_entries where pathway_id = $1 order by seq', [id])).rows as { seq: number; type: string; occurred_at: Date }[];
    const { rows: written } = await stack.db.pool.query("select id from pathways where idempotency_key like '%open-while-temporal-away-2%'");
    const before = await entries(written[0].id);
    expect(before.map((e) => e.type)).toContain('stage.overdue');

    // No worker takes the started workflow's first task until the action waits for it: both come in that task.
    await stack.worker!.stop();
    const retry = await call(app, stack, ACTORS.coordinator, request);
    expect(retry.statusCode).toBe(200);
    const id = retry.json().id as string;
    const sent = recordAssessment(id, 'retry-first-task-1');
    await sleep(1000);
    const worker = await newWorker();
    const action = await sent;
    expect(action.statusCode, action.body).toBe(200);
    const version = action.json().version as number;
    expect(version).toBe(before.length + 1);
    const after = await entries(id);
    // The opening as first written, the action after it; nothing written twice or dropped.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => e.seq)).toEqual(Array.from({ length: after.length }, (_, i) => i + 1));
    expect(after[version - 1]!.type).toBe('psychosocial.record-assessment');
    await expectStoredIsOwn(stack, id);
    expect(await verifyAudit(stack.db.pool, stack.client, () => undefined)).toBe(0);
    await worker.stop();
  });
});

describe('a pathway whose first workflow task brings an action', () => {
  it('records the action after the opening the API wrote, as its answer says', async () => {
    // Typed in 40 days late, a child in a family group with an earlier member: the opening writes overdue stages and tells the mother.
    const arrival = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    const open = (who: Record<string, unknown>, key: string) =>
      call(app, stack, ACTORS.coordinator, {
        method: 'POST',
        url: '/v1/pathways',
        headers: { 'idempotency-key': key },
        payload: { programme: 'KZ', operation: stack.templates.get('KZ')!.operations[0]!.name, arrivalDate: arrival, familyGroupId: 'first-task-family', person: who },
      });
    const worker = await newWorker();
    const mother = await open(person(35, arrival, { sex: 'female' }), 'first-task-mother');
    expect(mother.statusCode).toBe(201);
    await waitFor(stack.client, mother.json().id, (state) => state.version >= mother.json().state.version);
    await worker.stop();
    const child = await open(person(8, arrival, { arrivedWith: 'mother' }), 'first-task-child');
    expect(child.statusCode).toBe(201);
    const { id, state } = child.json();
    expect(state.overdue).toBe(true);
    const sent = recordAssessment(id, 'first-task-1');
    await sleep(1000);
    const next = await newWorker();
    try {
      const action = await sent;
      expect(action.statusCode, action.body).toBe(200);
      expect(action.json().version).toBe(state.version + 1);
      const { rows } = await stack.db.pool.query('select seq, type from audit_entries where pathway_id = $1 order by seq', [id]);
      expect(rows.map((r: { seq: number }) => r.seq)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      expect(rows[state.version].type).toBe('psychosocial.record-assessment');
      await expectStoredIsOwn(stack, id);
      // The mother heard of her child.
      await waitFor(stack.client, mother.json().id, (s) => s.familyGroup?.members.some((m) => m.pathwayId === id) === true);
      expect(await verifyAudit(stack.db.pool, stack.client, () => undefined)).toBe(0);
    } finally {
      await next.stop();
    }
  });
});
