import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { accepted, MLSP, PRAVO, until, useAgencies } from '../agencies/orgs.js';

// A receiver failing for 10 s is given up on (a day in production).
const api = useAgencies({ notifier: true, env: { NOTIFY_INTERVAL_MS: '300', NOTIFY_RETRY_MAX_SECONDS: '2', NOTIFY_GIVE_UP_SECONDS: '10' } });
const receiver = new WebhookReceiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());

const referToPravo = async () => {
  const id = await openOne(api.stack, 'KZ', person(38, ARRIVAL, { sex: 'female' }));
  await accepted(await api.act(MLSP.staff, id, 'referral.create', { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' }));
  return id;
};
const hookOf = async () => (await accepted(await api.get(PRAVO.supervisor, '/v1/webhooks'))).items[0];
const pathwaysAt = () => new Set(receiver.accepted('pravo').map((r) => JSON.parse(r.body).data.pathwayId as string | null));
const inbox = async (actor: Actor) => (await accepted(await api.get(actor, '/v1/notifications?state=all&limit=100'))).notifications as { kind: string; data: Record<string, unknown> }[];

describe('a webhook whose receiver keeps failing', () => {
  it('is paused with what waits for it held, its supervisors are told once, and resuming sends what was held', async () => {
    const response = await api.post(PRAVO.supervisor, '/v1/webhooks', { url: `${receiver.url}/pravo` });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    receiver.secrets.set('pravo', created.secret);
    receiver.answer = () => 503;
    const first = await referToPravo();
    const paused = await until(hookOf, (hook) => hook.status === 'paused', 60_000);
    expect(paused).toMatchObject({ id: created.id, enabled: true, pausedReason: 'HTTP 503', pending: 0 });
    expect(paused.held).toBeGreaterThanOrEqual(1);

    // Its organisation's supervisors are told, once; its staff are not.
    const told = await until(() => inbox(PRAVO.supervisor), (items) => items.some((n) => n.kind === 'webhook-paused'), 30_000);
    expect(told.filter((n) => n.kind === 'webhook-paused')).toEqual([expect.objectContaining({ data: { webhookId: created.id } })]);
    expect((await inbox(PRAVO.staff)).filter((n) => n.kind === 'webhook-paused')).toEqual([]);

    // While paused, nothing is sent to it: new messages are held too.
    const second = await referToPravo();
    await until(hookOf, (hook) => hook.held >= 3, 30_000);
    const knocks = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(receiver.received.length).toBe(knocks);
    expect((await inbox(PRAVO.supervisor)).filter((n) => n.kind === 'webhook-paused')).toHaveLength(1);

    receiver.answer = () => 200;
    const resumed = await accepted(await api.patch(PRAVO.supervisor, `/v1/webhooks/${created.id}`, { enabled: true }));
    expect(resumed).toMatchObject({ status: 'active', pausedAt: null, failingSince: null, held: 0 });
    await until(async () => pathwaysAt(), (at) => at.has(first) && at.has(second), 30_000);
    // The pause's own notice was held with the rest, and arrives with them.
    await until(async () => receiver.accepted('pravo').map((r) => JSON.parse(r.body).type), (types) => types.includes('pathways.webhook-paused'), 30_000);
    expect(receiver.received.filter((r) => !r.verified)).toEqual([]);
    // Each answer recorded: nothing left waiting.
    expect(await until(hookOf, (hook) => hook.pending === 0, 10_000)).toMatchObject({ status: 'active', pending: 0, held: 0 });
  }, 180_000);
});
