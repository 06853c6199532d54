import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/child-process.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { startTestApi } from '../helpers/api.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

describe('health', () => {
  it('answers /healthz while the process is alive', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when PostgreSQL and Temporal answer and a worker polls', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok', worker: 'ok' } });
    expect(response.statusCode).toBe(200);
  });

  it('is not ready when no worker polls its task queue, and says so', async () => {
    const config = { ...stack.config, temporal: { ...stack.config.temporal, taskQueue: `nobody-${randomUUID()}` } };
    const lonely = await startTestApi(stack, config);
    const response = await lonely.inject({ method: 'GET', url: '/readyz' });
    await lonely.close();
    expect(response.statusCode).toBe(503);
    expect(response.json().checks).toEqual({ postgres: 'ok', temporal: 'ok', worker: 'not-polling' });
  });

  it('echoes a caller-supplied request id and makes one up otherwise', async () => {
    const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-42' } });
    expect(given.headers['x-request-id']).toBe('trace-42');
    const made = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns 503 while PostgreSQL is stopped and 200 again once it is back', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pathways-pg-'));
    const port = await freePort();
    let postgres: EmbeddedPostgres | undefined = await startEmbeddedPostgres({ dataDir, port, logger: stack.logger });
    const pool: Pool = createPool({ url: postgres.url, size: 2, logger: stack.logger });
    const ownApp = await startTestApi({ ...stack, db: { ...stack.db, pool } });
    try {
      expect((await ownApp.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

      await postgres.stop();
      postgres = undefined;
      const down = await ownApp.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'not-ready', checks: { postgres: 'unavailable', temporal: 'ok', worker: 'ok' } });

      postgres = await startEmbeddedPostgres({ dataDir, port, logger: stack.logger });
      const up = await ownApp.inject({ method: 'GET', url: '/readyz' });
      expect(up.json().checks.postgres).toBe('ok');
      expect(up.statusCode).toBe(200);
    } finally {
      await ownApp.close();
      await pool.end();
      await postgres?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
