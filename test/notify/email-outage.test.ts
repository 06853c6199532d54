import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { startTestApi } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { MLSP, PRAVO } from '../agencies/orgs.js';
import { addressOf, apiWithContacts, settled, waitFor } from './email-people.js';

const OUTAGE_MS = 120_000;
let receiver: SmtpReceiver;
let stack: TestStack;
let app: FastifyInstance;
const api = apiWithContacts(() => ({ app, stack }), (actor: Actor) => ({ email: addressOf(actor), locale: 'en' }));

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  // Retries at most 10 s apart, so what waited through the outage goes soon after it.
  stack = await startTestStack({ notifier: true, env: { SMTP_URL: receiver.url, NOTIFY_INTERVAL_MS: '300', NOTIFY_RETRY_MAX_SECONDS: '10' } });
  app = await startTestApi(stack);
  await api.signIn(...Object.values(MLSP), ...Object.values(PRAVO));
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
  await receiver?.stop();
});

describe('an SMTP server down for two minutes', () => {
  it('delays every e-mail, and each arrives exactly once once it is back', async () => {
    await receiver.stop();
    const ids = [await openOne(stack, 'KZ', person(40, ARRIVAL)), await openOne(stack, 'KZ', person(41, ARRIVAL))];
    const referral = { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };
    for (const id of ids) expect((await api.act(MLSP.staff, id, 'referral.create', referral)).statusCode).toBe(200);
    expect((await api.act(MLSP.supervisor, ids[0]!, 'pathway.close', { reason: 'withdrawn' })).statusCode).toBe(200);
    const down = Date.now();

    // Tried, failed, waiting to be tried again: none lost, none given up.
    await waitFor(async () => {
      const { rows } = await stack.db.pool.query<{ tried: number }>(`select count(*)::int as tried from notification_deliveries where channel = 'email' and attempts > 0 and status = 'pending'`);
      return rows[0]!.tried >= 7;
    }, 60_000, 'the deliveries tried and waiting');
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - down)));
    const { rows: waiting } = await stack.db.pool.query<{ id: string; attempts: number; last_error: string }>(
      `select id, attempts, last_error from notification_deliveries where channel = 'email' order by id`,
    );
    // Two referrals to Pravo's three, the decision to MLSP's other supervisor.
    expect(waiting).toHaveLength(7);
    for (const delivery of waiting) expect(delivery.attempts, delivery.last_error).toBeGreaterThan(1);
    expect(receiver.received).toEqual([]);

    await receiver.start();
    await waitFor(() => receiver.received.length >= waiting.length, 60_000, 'every e-mail after the outage');
    await waitFor(() => settled(stack), 30_000, 'every delivery settled');
    // A little longer: nothing comes twice.
    await sleep(3000);
    const ids_ = receiver.received.map((mail) => mail.messageId.replace(/^<|@.*$/g, '')).sort();
    expect(ids_).toEqual(waiting.map((d) => d.id).sort());
    expect(new Set(ids_).size).toBe(ids_.length);
    const { rows } = await stack.db.pool.query<{ status: string }>(`select distinct status from notification_deliveries where channel = 'email'`);
    expect(rows).toEqual([{ status: 'sent' }]);
    expect(receiver.received.flatMap((mail) => mail.to).sort()).toEqual(
      [PRAVO.staff, PRAVO.otherStaff, PRAVO.supervisor, PRAVO.staff, PRAVO.otherStaff, PRAVO.supervisor, MLSP.otherSupervisor].map(addressOf).sort(),
    );
  }, 300_000);
});
