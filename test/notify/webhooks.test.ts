import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person, personalValues } from '../helpers/people.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { AKNIET, accepted, CLINIC, MLSP, PRAVO, until, useAgencies } from '../agencies/orgs.js';

// The worker's notifier delivers, every 300 ms; a failing receiver is knocked on at least every 10 s.
const api = useAgencies({ notifier: true, env: { NOTIFY_INTERVAL_MS: '300', NOTIFY_RETRY_MAX_SECONDS: '10', PUBLIC_URL: 'https://pathways.example.org' } });
const receiver = new WebhookReceiver();
const people: ReturnType<typeof person>[] = [];

beforeAll(async () => {
  await receiver.start();
});
afterAll(() => receiver.stop());

/** A hook of the supervisor's organisation at the receiver's path `name`; the receiver is handed its secret. */
async function addHook(supervisor: Actor, name: string): Promise<string> {
  const created = await api.post(supervisor, '/v1/webhooks', { url: `${receiver.url}/${name}`, description: name });
  expect(created.statusCode, created.body).toBe(201);
  receiver.secrets.set(name, created.json().secret);
  return created.json().id;
}

async function openAdult(age: number): Promise<string> {
  const who = person(age, ARRIVAL, { sex: 'female' });
  people.push(who);
  return openOne(api.stack, 'KZ', who);
}

const referTo = (to: string, id: string) =>
  api.act(MLSP.staff, id, 'referral.create', { stage: 'psychosocial', to, reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' }).then(accepted);

type Payload = { type: string; timestamp: string; data: Record<string, unknown> & { notificationId: string; pathwayId: string } };
const payloads = (hook: string): Payload[] => receiver.accepted(hook).map((r) => JSON.parse(r.body));
const about = (hook: string, pathwayId: string) => [...new Map(payloads(hook).filter((p) => p.data.pathwayId === pathwayId).map((p) => [p.data.notificationId, p])).values()];

describe('webhooks deliver notifications, signed, to the organisations told', () => {
  let hooks: Record<string, string>;
  beforeAll(async () => {
    hooks = {
      mlspCases: await addHook(MLSP.supervisor, 'mlsp-cases'),
      mlspBridge: await addHook(MLSP.supervisor, 'mlsp-bridge'),
      pravo: await addHook(PRAVO.supervisor, 'pravo'),
      akniet: await addHook(AKNIET.supervisor, 'akniet'),
      clinic: await addHook(CLINIC.supervisor, 'clinic'),
    };
  });

  it("reaches every hook of each organisation told, and no other organisation's", async () => {
    const referred = await openAdult(40);
    await referTo('pravo', referred);
    const broken = await openAdult(41);
    expect((await api.post(PRAVO.staff, `/v1/pathways/${broken}/emergency-access`, { reason: 'medical-emergency', note: 'Brought in at night; we need the medical stage.' })).statusCode).toBe(201);

    await until(async () => about('pravo', referred).length + about('mlsp-cases', broken).length + about('mlsp-bridge', broken).length, (n) => n === 3, 30_000);
    expect(about('pravo', referred)).toEqual([
      {
        type: 'pathways.referral-received',
        timestamp: expect.any(String),
        data: {
          notificationId: expect.any(String), kind: 'referral-received', pathwayId: referred, organisation: 'mlsp',
          programme: 'KZ', stage: 'psychosocial', from: 'mlsp', to: 'pravo', link: `https://pathways.example.org/#/pathways/${referred}`,
        },
      },
    ]);
    for (const hook of ['mlsp-cases', 'mlsp-bridge']) {
      expect(about(hook, broken)).toEqual([expect.objectContaining({ type: 'pathways.emergency-access', data: expect.objectContaining({ reason: 'medical-emergency', programme: 'KZ' }) })]);
      expect(about(hook, referred)).toEqual([]);
    }
    // Neither the organisation that broke the glass, nor those told of nothing.
    expect(about('pravo', broken)).toEqual([]);
    expect(receiver.received.filter((r) => r.hook === 'akniet' || r.hook === 'clinic')).toEqual([]);
  });

  it('signs every request so that the library verifies it, and a tampered body or another secret does not', () => {
    expect(receiver.received.length).toBeGreaterThanOrEqual(3);
    expect(receiver.received.filter((r) => !r.verified)).toEqual([]);
    const one = receiver.accepted('pravo')[0]!;
    expect(one.headers['content-type']).toBe('application/json');
    expect(one.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const secret = receiver.secrets.get('pravo')!;
    expect(new Webhook(secret).verify(one.body, one.headers as Record<string, string>)).toEqual(JSON.parse(one.body));
    expect(() => new Webhook(secret).verify(one.body.replace('psychosocial', 'medical'), one.headers as Record<string, string>)).toThrow();
    expect(() => new Webhook(secret).verify(one.body, { ...(one.headers as Record<string, string>), 'webhook-id': 'another' })).toThrow();
    expect(receiver.verifies('mlsp-cases', one.body, one.headers)).toBe(false);
  });

  it('delivers every message at least once, each with one id, after the receiver answered 500 for 2 minutes', async () => {
    receiver.answer = (hook) => (hook === 'akniet' ? 500 : 200);
    const ids = [await openAdult(42), await openAdult(43), await openAdult(44), await openAdult(45)];
    for (const id of ids) await referTo('akniet', id);
    const down = Date.now();
    await until(async () => receiver.received.filter((r) => r.hook === 'akniet').length, (n) => n >= 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 120_000 - (Date.now() - down))));
    const failed = receiver.received.filter((r) => r.hook === 'akniet');
    expect(failed.every((r) => r.answered === 500 && r.verified)).toBe(true);
    // Knocked on with a doubling wait (at most NOTIFY_RETRY_MAX_SECONDS), not once per message and round.
    expect(failed.length).toBeLessThan(40);
    receiver.answer = () => 200;

    await until(async () => ids.filter((id) => about('akniet', id).length === 1).length, (n) => n === 4, 60_000);
    // One id per message, kept across its retries; no id is shared by two messages.
    const messagesById = new Map<string, Set<string>>();
    for (const r of receiver.received.filter((x) => x.hook === 'akniet')) {
      messagesById.set(r.id, new Set([...(messagesById.get(r.id) ?? []), String(JSON.parse(r.body).data.notificationId)]));
    }
    expect([...messagesById.values()].every((messages) => messages.size === 1)).toBe(true);
    expect(new Set([...messagesById.values()].flatMap((m) => [...m])).size).toBe(messagesById.size);
    expect(messagesById.size).toBe(4);
    // One request at a time to a receiver.
    expect(receiver.maxInFlight).toBe(1);

    // The receiver has them; the log says so once each answer is recorded.
    type Logged = { kind: string; status: string; attempts: number; lastError: string | null; lastStatusCode: number; sentAt: string | null };
    const items = await until(async () => (await accepted(await api.get(AKNIET.supervisor, `/v1/webhooks/${hooks.akniet}/deliveries`))).items as Logged[], (all) => all.every((d) => d.status === 'sent'), 10_000);
    expect(items).toHaveLength(4);
    expect(items.every((d) => d.kind === 'referral-received' && d.status === 'sent' && d.sentAt && d.lastStatusCode === 200)).toBe(true);
    expect(items.some((d) => d.attempts > 0 && d.lastError === null)).toBe(true);
    const hook = (await accepted(await api.get(AKNIET.supervisor, '/v1/webhooks'))).items[0];
    expect(hook).toMatchObject({ status: 'active', failingSince: null, pending: 0, held: 0 });
  }, 240_000);

  it('carries no personal value of a pathway in any payload', () => {
    const values = [...personalValues(), ...people.map((p) => p.birthDate)];
    const bodies = receiver.received.map((r) => r.body);
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) for (const value of values) expect(body, value).not.toContain(value);
  });
});
