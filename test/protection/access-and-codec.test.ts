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
/** The Temporal UI of this developer's machine (TEMPORAL_UI_URL), which sends no token. */
const LOCAL_UI = 'http://localhost:18233';

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack, configWith({ CODEC_CORS_ORIGINS: UI, TEMPORAL_UI_URL: LOCAL_UI }));
  const opened = await call(app, stack, ACTORS.coordinator, {
    method: 'POST',
    url: '/v1/pathways',
    payload: { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: person(7, ARRIVAL, { arrivedWith: 'siblings' }) },
  });
  pathwayId = opened.json().id;
});
function configWith(env: NodeJS.ProcessEnv) {
  return testConfig({ DATABASE_URL: stack.db.url, TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue, ...env });
}

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

/** One payload of the pathway, encrypted as Temporal stores it, and its plain form, both as the wire carries them. */
async function sealedAndPlain() {
  const plain = `{"pathwayId":"${pathwayId}","ageBand":"6-11"}`;
  const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(plain).toString('base64') };
  const [encrypted] = await stack.codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(plain) }]);
  const sealed = [
    {
      metadata: Object.fromEntries(Object.entries(encrypted!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
      data: Buffer.from(encrypted!.data!).toString('base64'),
    },
  ];
  return { sealed, payload };
}

describe('the codec endpoint', () => {
  it('decrypts for whoever may read the pathway, and only payloads of its namespace', async () => {
    const { sealed, payload } = await sealedAndPlain();
    expect(Buffer.from(sealed[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed[0]!.data, 'base64').toString()).not.toContain('ageBand');

    const decoded = await call(app, stack, ACTORS.supervisor, { method: 'POST', url: '/codec/decode', payload: { payloads: sealed } });
    expect(decoded.json().payloads).toEqual([payload]);
    const byStaff = await call(app, stack, ACTORS.staff, { method: 'POST', url: '/codec/decode', payload: { payloads: sealed } });
    expect(byStaff.json().payloads).toEqual([payload]);
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

  it('answers the Temporal UI in the browser with CORS headers for an allowed origin only, problems included', async () => {
    const { sealed } = await sealedAndPlain();
    const post = (origin: string, headers: Record<string, string> = {}) =>
      call(app, stack, ACTORS.supervisor, { method: 'POST', url: '/codec/decode', payload: { payloads: sealed }, headers: { origin, ...headers } });
    for (const origin of [UI, LOCAL_UI, 'http://127.0.0.1:18233']) {
      const answer = await post(origin);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
    }
    const refused = await post(UI, { 'x-namespace': 'other' });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBe(UI);
    const stranger = await post('https://evil.example');
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
    expect(stranger.headers.vary).toContain('origin');
  });
});

describe('the local Temporal UI in development', () => {
  const fromBrowser = (origin: string, extra: { remoteAddress?: string; authorization?: string } = {}, target = app) =>
    sealedAndPlain().then(({ sealed }) =>
      target.inject({
        method: 'POST',
        url: '/codec/decode',
        payload: { payloads: sealed },
        remoteAddress: extra.remoteAddress,
        headers: { origin, 'x-namespace': 'pathways', ...(extra.authorization ? { authorization: extra.authorization } : {}) },
      }),
    );

  it('decodes without a token from its own origin on this machine, under either name', async () => {
    const { payload } = await sealedAndPlain();
    for (const origin of [LOCAL_UI, 'http://127.0.0.1:18233']) {
      const answer = await fromBrowser(origin);
      expect(answer.statusCode).toBe(200);
      expect(answer.json().payloads).toEqual([payload]);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it('stays 401 without a token from any other origin, from another machine, with a bad token, or with the setting off', async () => {
    expect((await fromBrowser(UI)).statusCode).toBe(401);
    expect((await fromBrowser('https://evil.example')).statusCode).toBe(401);
    expect((await fromBrowser(LOCAL_UI, { remoteAddress: '10.0.0.7' })).statusCode).toBe(401);
    expect((await fromBrowser(LOCAL_UI, { authorization: 'Bearer a.b.c' })).statusCode).toBe(401);
    const strict = await startTestApi(stack, configWith({ TEMPORAL_UI_URL: LOCAL_UI, CODEC_DEV_UI_WITHOUT_TOKEN: 'false' }));
    try {
      expect((await fromBrowser(LOCAL_UI, {}, strict)).statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });
});
