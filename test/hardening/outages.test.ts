// Findings 1 (incident) and 4 of the hardening issue: while PostgreSQL is frozen every caller gets
// an answer it can act on, and afterwards every accepted action is recorded exactly once; when
// PostgreSQL refuses a pathway's entries for good, the pathway, /readyz and audit:verify say so.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit-verify.js';
import { postgresPids, signalAll } from '../../src/cluster/postgres-processes.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { insertPathway } from '../../src/db/pathways.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { workflowIdOf } from '../../src/domain/model.js';
import type { PathwayInput } from '../../src/domain/pathway.js';
import { call, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, testLogger, type TestStack } from '../helpers/stack.js';

let postgres: EmbeddedPostgres;
let dataDir: string;
let stack: TestStack;
let app: FastifyInstance;

// PostgreSQL of this file's own: freezing the run's shared server would stall every other file.
beforeAll(async () => {
  const logger = testLogger();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pathways-outage-'));
  postgres = await startEmbeddedPostgres({ dataDir, port: 0, logger });
  const pool = createPool({ url: postgres.url, size: 5, logger });
  await migrate(pool, logger);
  // Production's update deadline: callers waiting on a frozen database get their 503 after it.
  stack = await startTestStack({ db: { name: 'pathways', url: postgres.url, pool, drop: () => pool.end() }, env: { TEMPORAL_UPDATE_TIMEOUT_SECONDS: '10' } });
  app = await startTestApi(stack);
});
afterAll(async () => {
  await freeze('SIGCONT').catch(() => undefined);
  await app?.close();
  await stack?.stop();
  await postgres?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The postmaster and every backend it forked: stopping only the postmaster would leave open sessions answering. */
async function freeze(signal: 'SIGSTOP' | 'SIGCONT') {
  signalAll(await postgresPids(path.join(dataDir, 'pg')), signal);
}

const { coordinator, staff } = ACTORS;

async function openChildren(count: number): Promise<string[]> {
  const people = Array.from({ length: count }, () => ({ person: person(8, ARRIVAL, { arrivedWith: 'siblings' }) }));
  const opened = await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload: { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, people } });
  const ids = opened.json().pathways.map((p: { id: string }) => p.id);
  await Promise.all(ids.map((id: string) => waitFor(stack.client, id, (s) => s.version >= 1)));
  return ids;
}

describe('PostgreSQL frozen for 10 seconds under 20 concurrent staff actions', () => {
  it('answers every caller 200, 409 or 503 with Retry-After and an actionId; after retries each action is recorded once', async () => {
    const ids = await openChildren(20);
    const answers: { status: number; retryAfter?: string; actionId?: string }[] = [];
    /** A client that retries with the same actionId as long as the service says to, within bounds. */
    const client = async (id: string) => {
      const body = { type: 'medical.record-screening', payload: { result: 'cleared' }, actionId: `frozen-${id.slice(0, 8)}` };
      for (let attempt = 0; attempt < 40; attempt++) {
        const response = await call(app, stack, staff, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: body });
        const json = response.json();
        answers.push({ status: response.statusCode, retryAfter: response.headers['retry-after'] as string | undefined, actionId: json.actionId });
        if (response.statusCode !== 503) return { id, status: response.statusCode, actionId: body.actionId };
        await sleep(1000);
      }
      return { id, status: 503, actionId: body.actionId };
    };
    await freeze('SIGSTOP');
    const frozenAt = Date.now();
    const running = Promise.all(ids.map(client));
    await sleep(10_000 - (Date.now() - frozenAt));
    await freeze('SIGCONT');
    const outcomes = await running;

    const count = (status: number) => answers.filter((a) => a.status === status).length;
    console.info(`PostgreSQL frozen 10 s under 20 actions: ${answers.length} answers, ${count(200)} x 200, ${count(409)} x 409, ${count(503)} x 503`);
    expect(answers.filter((a) => ![200, 409, 503].includes(a.status))).toEqual([]);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((a) => Number(a.retryAfter) > 0 && typeof a.actionId === 'string')).toBe(true);
    expect(outcomes.map((o) => o.status)).toEqual(Array(20).fill(200));

    for (const { id, actionId } of outcomes) {
      const { rows } = await stack.db.pool.query('select count(*)::int as n from audit_entries where pathway_id = $1 and action_id = $2', [id, actionId]);
      expect(rows[0].n, id).toBe(1);
    }
    const report: string[] = [];
    expect(await verifyAudit(stack.db.pool, stack.client, (line) => report.push(line))).toBe(0);
    expect(report.join('\n')).toContain('every chain verifies');
  });
});

describe('an audit write PostgreSQL refuses for its data', () => {
  it('raises an incident the pathway, /readyz and audit:verify show, instead of being retried in silence', async () => {
    // A client that bypasses the API starts a pathway whose opening event PostgreSQL cannot store.
    const id = randomUUID();
    const input: PathwayInput = {
      pathwayId: id,
      programme: 'KG',
      operation: 'Meerim',
      arrivalDate: ARRIVAL,
      organisations: [coordinator.org],
      person: { sex: 'female', ageBand: '6-11', isChild: true, arrivedWith: 'siblings', hasIdentityDocument: false, hasBirthCertificate: false },
      template: stack.templates.get('KG')!,
      clockScale: 1,
      openedBy: coordinator,
    };
    await insertPathway(stack.db.pool, { input, person: person(8, ARRIVAL, { arrivedWith: 'siblings' }), digest: 'x' });
    await stack.client.workflow.start('pathway', {
      workflowId: workflowIdOf(id),
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ ...input, operation: 'Meerim \ud83d' }],
    });

    const state = await waitFor(stack.client, id, (s) => s.incident !== undefined);
    expect(state.incident).toMatchObject({ code: '22P02', firstUnwrittenSeq: 1 });
    expect(state.availableActions).toEqual([]);
    const refused = await call(app, stack, staff, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: 'medical.record-screening', payload: { result: 'cleared' } } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().reason).toBe('incident');

    const history = await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${id}/history` });
    expect(history.json()).toMatchObject({ entries: [], incident: { sqlState: '22P02', firstUnwrittenSeq: 1 } });

    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toMatchObject({ status: 'ready', openIncidents: 1 });
    const { rows } = await stack.db.pool.query('select pathway_id, sql_state from incidents where resolved_at is null');
    expect(rows).toEqual([{ pathway_id: id, sql_state: '22P02' }]);
    const report: string[] = [];
    expect(await verifyAudit(stack.db.pool, stack.client, (line) => report.push(line))).toBe(1);
    expect(report).toContain(`BROKEN pathway ${id}: audit entry 1 is missing (the workflow has recorded it; PostgreSQL does not hold it)`);
    await stack.client.workflow.getHandle(workflowIdOf(id)).terminate('test over');
  });
});
