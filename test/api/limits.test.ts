import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApi, tokenFor } from '../helpers/api.js';
import { ACTORS, ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, testConfig, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ worker: false });
});
afterAll(() => stack?.stop());

describe('limits', () => {
  it('answers 429 with Retry-After once a token has used its budget', async () => {
    const config = testConfig({ DATABASE_URL: stack.db.url, RATE_LIMIT_PER_MINUTE: '3' });
    const app = await startTestApi(stack, config);
    try {
      const headers = { authorization: `Bearer ${await tokenFor(stack, ACTORS.supervisor)}` };
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/reports/caseload', headers })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await app.inject({ method: 'GET', url: '/v1/reports/caseload', headers });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json()).toMatchObject({ status: 429, code: 'rate-limited' });
      expect((await call(app, stack, ACTORS.staff, { method: 'GET', url: '/v1/pathways/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers 503 with Retry-After when no worker takes the action in time, and records nothing', async () => {
    const config = testConfig({ DATABASE_URL: stack.db.url, TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue, TEMPORAL_UPDATE_TIMEOUT_SECONDS: '1' });
    const app: FastifyInstance = await startTestApi(stack, config);
    try {
      const id = await openOne(stack, 'KZ', person(30, ARRIVAL));
      const response = await call(app, stack, ACTORS.staff, {
        method: 'POST',
        url: `/v1/pathways/${id}/actions`,
        payload: { type: 'medical.record-screening', payload: { result: 'cleared' } },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toMatchObject({ code: 'unavailable', actionId: expect.any(String) });
      const { rows } = await stack.db.pool.query("select count(*)::int as n from audit_entries where kind = 'action'");
      expect(rows[0].n).toBe(0);
      // The read needs no worker: it answers what the opening wrote, without the refused action.
      const read = await call(app, stack, ACTORS.staff, { method: 'GET', url: `/v1/pathways/${id}` });
      expect(read.statusCode).toBe(200);
      const { rows: written } = await stack.db.pool.query('select count(*)::int as n from audit_entries where pathway_id = $1', [id]);
      expect(read.json().version).toBe(written[0].n);
      expect(read.json().availableActions.map((a: { type: string }) => a.type)).toContain('medical.record-screening');
    } finally {
      await app.close();
    }
  });
});
