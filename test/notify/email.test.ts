import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseNotification } from '../../src/db/notifications.js';
import type { Actor } from '../../src/domain/model.js';
import { startTestApi } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person, personalValues } from '../helpers/people.js';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../helpers/smtp-receiver.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { AKNIET, CLINIC, MLSP, PRAVO } from '../agencies/orgs.js';
import { addressOf, apiWithContacts, settled, waitFor, wholeMessage, type Contact } from './email-people.js';

const DIGEST_SECONDS = 12;
let receiver: SmtpReceiver;
let stack: TestStack;
let app: FastifyInstance;

/** A Russian-speaking supervisor; everyone else in English; one person whose provider gives no address. */
const RUSSIAN = MLSP.otherSupervisor;
const NO_ADDRESS = AKNIET.staff;
const contactOf = (actor: Actor): Contact =>
  actor === NO_ADDRESS ? {} : { email: addressOf(actor), locale: actor === RUSSIAN ? 'ru-RU' : 'en-GB' };
const api = apiWithContacts(() => ({ app, stack }), contactOf);

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  stack = await startTestStack({
    notifier: true,
    env: { SMTP_URL: receiver.url, SMTP_FROM: 'Pathways <notify@pathways.example.org>', NOTIFY_INTERVAL_MS: '300', NOTIFY_EMAIL_PER_HOUR: '3', NOTIFY_DIGEST_INTERVAL_SECONDS: String(DIGEST_SECONDS) },
  });
  app = await startTestApi(stack);
  await api.signIn(...Object.values(MLSP), ...Object.values(PRAVO), ...Object.values(AKNIET), ...Object.values(CLINIC));
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
  await receiver?.stop();
});

const to = (actor: Actor) => receiver.received.filter((mail) => mail.to.includes(addressOf(actor)));
const aboutPathway = (id: string) => receiver.received.filter((mail) => mail.text.includes(`/#/pathways/${id}`));
const openAdult = (age: number) => openOne(stack, 'KZ', person(age, ARRIVAL, { sex: 'female' }));
const deliveries = async (actor: Actor) =>
  (await stack.db.pool.query<{ status: string; last_error: string | null }>(`select status, last_error from notification_deliveries where target = $1 order by created_at`, [`${actor.org}/${actor.id}`])).rows;

describe('e-mail notifications', () => {
  it('reach who they must and nobody else, in their language, with nothing personal in them', async () => {
    const closing = await openAdult(40);
    const referred = await openAdult(41);
    const broken = await openAdult(42);
    expect((await api.act(MLSP.supervisor, closing, 'pathway.close', { reason: 'withdrawn' })).statusCode).toBe(200);
    const referral = { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };
    expect((await api.act(MLSP.staff, referred, 'referral.create', referral)).statusCode).toBe(200);
    expect((await api.post(PRAVO.staff, `/v1/pathways/${broken}/emergency-access`, { reason: 'medical-emergency', note: 'Brought in at night; we need the medical stage.' })).statusCode).toBe(201);

    // Who must be told, by e-mail: a decision waits for the other supervisor (never the one who asked),
    // the referral for the receiving organisation's staff and supervisors, the broken glass for the owning supervisors.
    const expected = new Map<string, Actor[]>([
      [closing, [RUSSIAN]],
      [referred, [PRAVO.staff, PRAVO.otherStaff, PRAVO.supervisor]],
      [broken, [MLSP.supervisor, RUSSIAN]],
    ]);
    await waitFor(() => [...expected].every(([id, actors]) => aboutPathway(id).length >= actors.length), 60_000, 'every e-mail sent');
    await waitFor(() => settled(stack), 30_000, 'every delivery settled');
    for (const [id, actors] of expected) {
      expect(aboutPathway(id).flatMap((mail) => mail.to).sort(), id).toEqual(actors.map(addressOf).sort());
    }

    // In the reader's language: Russian for the Russian-speaking supervisor, English for the others.
    const [decision] = aboutPathway(closing);
    expect(decision!.subject).toBe('Pathways: Досрочное закрытие маршрута ждёт вашего утверждения');
    expect(decision!.text).toContain('Войдите, чтобы посмотреть:');
    expect(aboutPathway(broken).find((mail) => mail.to.includes(addressOf(RUSSIAN)))!.subject).toMatch(/экстренный доступ/);
    expect(aboutPathway(broken).find((mail) => mail.to.includes(addressOf(MLSP.supervisor)))!.subject).toBe('Pathways: Someone used emergency access to one of your pathways');
    const [received] = aboutPathway(referred);
    expect(received!.subject).toBe('Pathways: A referral for Psychosocial arrived from Ministry of Labour and Social Protection');
    expect(received!.text).toMatch(/Programme: KZ\nStage: Psychosocial/);
    expect(received!.html).toContain(`/#/pathways/${referred}"`);
    expect(received!.from).toBe('notify@pathways.example.org');
    // Each message's Message-ID is its delivery's.
    const { rows } = await stack.db.pool.query<{ id: string }>(`select id from notification_deliveries where channel = 'email' and status = 'sent'`);
    expect(receiver.received.map((mail) => mail.messageId.replace(/^<|@.*$/g, '')).sort()).toEqual(rows.map((r) => r.id).sort());

    // Nobody else: not the preparer, another organisation, nor the one whose provider gives no address (skipped, never written).
    for (const nobody of [MLSP.staff, MLSP.coordinator, AKNIET.supervisor, NO_ADDRESS, CLINIC.staff]) expect(to(nobody), nobody.id).toEqual([]);
    expect(await deliveries(NO_ADDRESS)).toEqual([]);
    // Nothing personal: no name, no birth date, in any part of any message.
    const everything = receiver.received.map(wholeMessage).join('\n');
    for (const value of personalValues()) expect(everything).not.toContain(value);
  });

  it('sends those who chose a daily digest one digest instead, and those who chose none nothing', async () => {
    expect((await api.send(MLSP.staff, { method: 'PUT', url: '/v1/me/notification-preferences', payload: { email: 'daily', language: null } })).statusCode).toBe(200);
    expect((await api.send(AKNIET.supervisor, { method: 'PUT', url: '/v1/me/notification-preferences', payload: { email: 'off', language: null } })).statusCode).toBe(200);
    // Just after a digest went: both are held before the next one.
    await waitFor(() => Date.now() % (DIGEST_SECONDS * 1000) < 1500, DIGEST_SECONDS * 1000 + 1000, 'the start of a digest interval');
    const ids = [await openAdult(43), await openAdult(44)];
    for (const [i, id] of ids.entries()) {
      await raiseNotification(stack.db.pool, {
        eventKey: `digest-test-${id}`, kind: i ? 'step-overdue' : 'step-due-soon', pathwayId: id, organisation: 'mlsp',
        data: { programme: 'KZ', stage: 'quarantine', dueAt: '2026-12-20' },
        audience: [{ organisation: 'mlsp', subject: MLSP.staff.id }, { organisation: 'akniet', subject: AKNIET.supervisor.id }],
      });
    }
    await waitFor(async () => (await deliveries(MLSP.staff)).filter((d) => d.status === 'held').length === 2, 20_000, 'both held for the digest');
    expect(to(MLSP.staff)).toEqual([]);
    await waitFor(() => to(MLSP.staff).length > 0, (DIGEST_SECONDS + 10) * 1000, 'the digest');
    await waitFor(() => settled(stack), 20_000, 'every delivery settled');
    const [digest, ...more] = to(MLSP.staff);
    expect(more).toEqual([]);
    expect(digest!.subject).toBe('Pathways: 2 notifications for you');
    expect(digest!.text).toContain('Due: Dec 20, 2026');
    for (const id of ids) expect(digest!.text).toContain(`/#/pathways/${id}`);
    expect((await deliveries(MLSP.staff)).map((d) => d.status)).toEqual(['sent', 'sent']);
    // None: the deliveries are skipped, saying why.
    expect(to(AKNIET.supervisor)).toEqual([]);
    expect(await deliveries(AKNIET.supervisor)).toEqual([
      { status: 'skipped', last_error: 'e-mail turned off by the person' },
      { status: 'skipped', last_error: 'e-mail turned off by the person' },
    ]);
  });

  it('sends a person at most NOTIFY_EMAIL_PER_HOUR single e-mails; the rest go in their digest', async () => {
    const ids = await Promise.all([45, 46, 47, 48, 49].map((age) => openAdult(age)));
    for (const id of ids) {
      await raiseNotification(stack.db.pool, {
        eventKey: `rate-test-${id}`, kind: 'step-overdue', pathwayId: id, organisation: 'clinic',
        data: { programme: 'KZ', stage: 'medical', dueAt: '2026-12-10' }, audience: [{ organisation: 'clinic', subject: CLINIC.staff.id }],
      });
    }
    await waitFor(async () => {
      const all = await deliveries(CLINIC.staff);
      return all.length === ids.length && all.every((d) => d.status === 'sent');
    }, (DIGEST_SECONDS + 20) * 1000, 'single e-mails and a digest');
    const mails: ReceivedMail[] = to(CLINIC.staff);
    expect(mails.map((mail) => mail.subject)).toEqual([
      ...Array(3).fill('Pathways: Medical is overdue: it was due on Dec 10, 2026'),
      'Pathways: 2 notifications for you',
    ]);
    const linked = mails.flatMap((mail) => ids.filter((id) => mail.text.includes(id)));
    expect(linked.sort()).toEqual([...ids].sort());
  });
});
