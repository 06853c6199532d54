import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, testConfig, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
let pathwayId: string;
const UI = 'http://127.0.0.1:8233';

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack, testConfig({ DATABASE_URL: stack.db.url, TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue, CODEC_CORS_ORIGINS: UI }));
  const opened = await call(app, stack, ACTORS.coordinator, {
    method: 'POST',
    url: '/v1/pathways',
    payload: { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: person(7, ARRIVAL, { arrivedWith: 'siblings' }) },
  });
  pathwayId = opened.json().id;
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

describe('the access log', () => {
  it("records every read of a pathway's state or history, for supervisors to read", async () => {
    const other: Actor = { id: 'nurse-2', role: 'staff', org: 'mlsp' };
    await call(app, stack, ACTORS.staff, { method: 'GET', url: `/v1/pathways/${pathwayId}`, headers: { 'x-request-id': 'read-1' } });
    await call(app, stack, other, { method: 'GET', url: `/v1/pathways/${pathwayId}` });
    await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${pathwayId}/history` });
    expect((await call(app, stack, ACTORS.staff, { method: 'GET', url: `/v1/pathways/${pathwayId}/access-log` })).statusCode).toBe(403);

    const log = await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${pathwayId}/access-log` });
    const entries = log.json().entries.map(({ actorId, actorRole, actorOrg, what }: Record<string, string>) => ({ actorId, actorRole, actorOrg, what }));
    expect(entries).toEqual([
      { actorId: ACTORS.coordinator.id, actorRole: 'coordinator', actorOrg: 'mlsp', what: 'state' },
      { actorId: ACTORS.staff.id, actorRole: 'staff', actorOrg: 'mlsp', what: 'state' },
      { actorId: 'nurse-2', actorRole: 'staff', actorOrg: 'mlsp', what: 'state' },
      { actorId: ACTORS.supervisor.id, actorRole: 'supervisor', actorOrg: 'mlsp', what: 'history' },
      { actorId: ACTORS.supervisor.id, actorRole: 'supervisor', actorOrg: 'mlsp', what: 'access-log' },
    ]);
    expect(log.json().entries[1]).toMatchObject({ requestId: 'read-1', at: expect.any(String) });
  });
});

describe('the codec endpoint', () => {
  it('decrypts for supervisors only, and only payloads of its namespace', async () => {
    const plain = `{"pathwayId":"${pathwayId}","ageBand":"6-11"}`;
    const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(plain).toString('base64') };
    const [encrypted] = await stack.codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(plain) }]);
    const sealed = [
      {
        metadata: Object.fromEntries(Object.entries(encrypted!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
        data: Buffer.from(encrypted!.data!).toString('base64'),
      },
    ];
    expect(Buffer.from(sealed[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed[0]!.data, 'base64').toString()).not.toContain('ageBand');

    const decoded = await call(app, stack, ACTORS.supervisor, { method: 'POST', url: '/codec/decode', payload: { payloads: sealed } });
    expect(decoded.json().payloads).toEqual([payload]);
    expect((await call(app, stack, ACTORS.staff, { method: 'POST', url: '/codec/decode', payload: { payloads: sealed } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: sealed } })).statusCode).toBe(401);
    const elsewhere = await call(app, stack, ACTORS.supervisor, { method: 'POST', url: '/codec/decode', payload: { payloads: sealed }, headers: { 'x-namespace': 'other' } });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('lets the Temporal UI call it from its configured origin only', async () => {
    const preflight = await app.inject({ method: 'OPTIONS', url: '/codec/decode', headers: { origin: UI, 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI);
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
    const stranger = await app.inject({ method: 'OPTIONS', url: '/codec/decode', headers: { origin: 'https://evil.example' } });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });
});
