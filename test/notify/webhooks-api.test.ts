import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseNotification } from '../../src/db/notifications.js';
import { deliverWebhooks, fanOutWebhooks } from '../../src/notify/webhooks/index.js';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS } from '../helpers/pathways.js';
import type { TestStack } from '../helpers/stack.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)), { worker: false });

const pravoSupervisor: Actor = { id: 'supervisor-pia', role: 'supervisor', org: 'pravo' };
const send = (actor: Actor, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  call(app, stack, actor, { method, url, ...(payload ? { payload } : {}) });

describe('webhooks, managed by the supervisors of their organisation', () => {
  it('adds a hook and answers its secret once; the list never shows it', async () => {
    const created = await send(ACTORS.supervisor, 'POST', '/v1/webhooks', { url: 'https://cases.example.org/hooks/pathways', description: 'Our case system' });
    expect(created.statusCode, created.body).toBe(201);
    const hook = created.json();
    expect(hook).toMatchObject({ url: 'https://cases.example.org/hooks/pathways', description: 'Our case system', enabled: true, status: 'active', pending: 0, held: 0, createdBy: ACTORS.supervisor.id });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = (await send(ACTORS.otherSupervisor, 'GET', '/v1/webhooks')).json().items;
    expect(listed.map((h: { id: string }) => h.id)).toContain(hook.id);
    expect(JSON.stringify(listed)).not.toContain(hook.secret.slice(6));
    // Another organisation's supervisors do not see it.
    expect((await send(pravoSupervisor, 'GET', '/v1/webhooks')).json().items).toEqual([]);
  });

  it('switches a hook off and on, rotates its secret and removes it', async () => {
    const hook = (await send(ACTORS.supervisor, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook' })).json();
    const off = await send(ACTORS.supervisor, 'PATCH', `/v1/webhooks/${hook.id}`, { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, status: 'disabled' });
    const on = await send(ACTORS.supervisor, 'PATCH', `/v1/webhooks/${hook.id}`, { enabled: true, description: 'Messenger bridge' });
    expect(on.json()).toMatchObject({ enabled: true, status: 'active', description: 'Messenger bridge', url: 'http://127.0.0.1:9/hook' });
    const rotated = await send(ACTORS.supervisor, 'POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(hook.secret);
    const log = await send(ACTORS.supervisor, 'GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(log.json()).toEqual({ items: [], nextCursor: null });
    expect((await send(ACTORS.supervisor, 'DELETE', `/v1/webhooks/${hook.id}`)).statusCode).toBe(204);
    expectProblem(await send(ACTORS.supervisor, 'DELETE', `/v1/webhooks/${hook.id}`), 404, 'not-found');
  });

  it('refuses staff and coordinators (403), and answers 404 for another organisation\'s hook', async () => {
    const hook = (await send(ACTORS.supervisor, 'POST', '/v1/webhooks', { url: 'https://cases.example.org/a' })).json();
    for (const actor of [ACTORS.staff, ACTORS.coordinator]) {
      const body = expectProblem(await send(actor, 'GET', '/v1/webhooks'), 403, 'forbidden');
      expect(body.errors[0]).toMatchObject({ code: 'roles-only' });
      expectProblem(await send(actor, 'POST', '/v1/webhooks', { url: 'https://cases.example.org/b' }), 403, 'forbidden');
    }
    for (const [method, url, payload] of [
      ['PATCH', `/v1/webhooks/${hook.id}`, { enabled: false }],
      ['DELETE', `/v1/webhooks/${hook.id}`],
      ['POST', `/v1/webhooks/${hook.id}/rotate-secret`],
      ['GET', `/v1/webhooks/${hook.id}/deliveries`],
    ] as const) {
      expectProblem(await send(pravoSupervisor, method, url, payload), 404, 'not-found');
    }
    expect((await send(ACTORS.supervisor, 'GET', '/v1/webhooks')).json().items.find((h: { id: string }) => h.id === hook.id)).toMatchObject({ enabled: true });
  });

  it('refuses an address that is not https (http only on this machine), naming the field and the code', async () => {
    for (const url of ['http://cases.example.org/hook', 'ftp://cases.example.org/hook', 'not an address', 'https://user:pass@cases.example.org/', 'javascript:alert(1)']) {
      const body = expectProblem(await send(ACTORS.supervisor, 'POST', '/v1/webhooks', { url }), 400, 'validation-failed');
      expect(body.errors).toEqual([{ pointer: '/url', code: 'https-url-only', params: {} }]);
    }
    expectProblem(await send(ACTORS.supervisor, 'POST', '/v1/webhooks', {}), 400, 'validation-failed');
    expectProblem(await send(ACTORS.supervisor, 'PATCH', '/v1/webhooks/00000000-0000-4000-8000-000000000000', {}), 400, 'validation-failed');
    expectProblem(await send(ACTORS.supervisor, 'PATCH', '/v1/webhooks/not-a-uuid', { enabled: true }), 404, 'not-found');
    expect((await send(ACTORS.supervisor, 'POST', '/v1/webhooks', { url: 'http://localhost:8080/hook' })).statusCode).toBe(201);
  });
});

describe('two delivery rounds at once (a retried round, a second worker)', () => {
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('still send one request at a time to a receiver, and each message once', async () => {
    const clinic: Actor = { id: 'supervisor-kim', role: 'supervisor', org: 'clinic' };
    const created = (await send(clinic, 'POST', '/v1/webhooks', { url: `${receiver.url}/clinic` })).json();
    receiver.secrets.set('clinic', created.secret);
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const deps = { pool: stack.db.pool, config: stack.config, logger: quiet };
    const raise = async (from: number) => {
      for (let i = from; i < from + 4; i++) {
        await raiseNotification(stack.db.pool, { eventKey: `test:turns:${i}`, kind: 'incident', data: { reason: 'audit-write' }, audience: [{ organisation: 'clinic', roles: ['supervisor'] }] });
      }
      await fanOutWebhooks(deps);
    };
    // A slow receiver: the first round is still sending when the second claims the next messages.
    receiver.delayMs = 300;
    await raise(0);
    const first = deliverWebhooks(deps);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await raise(4);
    await Promise.all([first, deliverWebhooks(deps)]);
    receiver.delayMs = 20;
    for (let round = 0; round < 10 && receiver.accepted('clinic').length < 8; round++) await deliverWebhooks(deps);
    expect(receiver.accepted('clinic')).toHaveLength(8);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(8);
    expect(receiver.maxInFlight).toBe(1);
  });
});
