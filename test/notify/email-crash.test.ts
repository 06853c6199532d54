import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { startWorker, type PathwayWorker } from '../../src/temporal/worker.js';
import { startTestApi } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { startWorkerProcess } from '../helpers/worker-process.js';
import { MLSP, PRAVO } from '../agencies/orgs.js';
import { addressOf, apiWithContacts, settled, waitFor } from './email-people.js';

let receiver: SmtpReceiver;
let stack: TestStack;
let app: FastifyInstance;
let replacement: PathwayWorker | undefined;
const children: ChildProcess[] = [];
const api = apiWithContacts(() => ({ app, stack }), (actor: Actor) => ({ email: addressOf(actor), locale: 'en' }));
const NOTIFY = { NOTIFY_INTERVAL_MS: '300', NOTIFY_RETRY_MAX_SECONDS: '10' };

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  stack = await startTestStack({ worker: false, env: { SMTP_URL: receiver.url, ...NOTIFY } });
  app = await startTestApi(stack);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await replacement?.stop();
  await app?.close();
  await stack?.stop();
  await receiver?.stop();
});

/** `npm run worker` in a process of its own, which the test kills like a machine that fails. */
async function startKillableWorker(): Promise<ChildProcess> {
  const child = await startWorkerProcess(stack, { SMTP_URL: receiver.url, ...NOTIFY }, 120_000);
  children.push(child);
  return child;
}

describe('a worker killed in the middle of sending e-mail', () => {
  it('leaves the e-mails to the next worker, which sends each once: nothing twice', async () => {
    const first = await startKillableWorker();
    await api.signIn(...Object.values(MLSP), ...Object.values(PRAVO));
    // The SMTP server takes the first message and holds its answer: the worker is mid-delivery.
    receiver.hold();
    const id = await openOne(stack, 'KZ', person(40, ARRIVAL));
    const referral = { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };
    expect((await api.act(MLSP.staff, id, 'referral.create', referral)).statusCode).toBe(200);
    await waitFor(() => receiver.held() === 1, 60_000, 'a message held by the SMTP server');

    first.kill('SIGKILL');
    await once(first, 'exit');
    // The connection went with the process: the held message was never accepted.
    await sleep(500);
    receiver.release();
    expect(receiver.received).toEqual([]);
    const { rows: claimed } = await stack.db.pool.query<{ id: string; status: string }>(`select id, status from notification_deliveries where channel = 'email' order by id`);
    expect(claimed.map((d) => d.status)).toEqual(['sending', 'sending', 'sending']);

    replacement = await startWorker({ config: stack.config, address: stack.config.temporal.address!, pool: stack.db.pool, bundle: { codePath: inject('workflowBundlePath') }, codec: stack.codec });
    // Once the dead worker's lease has passed, the new one sends them.
    await waitFor(() => settled(stack), 240_000, 'every delivery sent by the new worker');
    await sleep(3000);
    const sent = receiver.received.map((mail) => mail.messageId.replace(/^<|@.*$/g, '')).sort();
    expect(sent).toEqual(claimed.map((d) => d.id).sort());
    expect(receiver.received.flatMap((mail) => mail.to).sort()).toEqual([PRAVO.staff, PRAVO.otherStaff, PRAVO.supervisor].map(addressOf).sort());
  }, 360_000);
});
