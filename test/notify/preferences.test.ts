import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createVerifier } from '../../src/api/auth.js';
import { startMailCatcher, type MailCatcher } from '../../src/notify/email/catcher.js';
import { createMailer } from '../../src/notify/email/mailer.js';
import { call, expectProblem } from '../helpers/api.js';
import { ACTORS } from '../helpers/pathways.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import type { Actor } from '../../src/domain/model.js';

let stack: TestStack;
let app: FastifyInstance;
let catcher: MailCatcher;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  catcher = await startMailCatcher(stack.logger);
  const deps = { config: stack.config, logger: stack.logger, pool: stack.db.pool, client: stack.client, codec: stack.codec, templates: stack.templates };
  app = await buildApp({ ...deps, verifier: await createVerifier(stack.config), mailCatcher: catcher });
});
afterAll(async () => {
  await app?.close();
  await catcher?.stop();
  await stack?.stop();
});

const preferences = (actor: Actor = ACTORS.staff) => call(app, stack, actor, { method: 'GET', url: '/v1/me/notification-preferences' });
const choose = (payload: unknown, actor: Actor = ACTORS.staff) => call(app, stack, actor, { method: 'PUT', url: '/v1/me/notification-preferences', payload: payload as object });

describe('notification preferences', () => {
  it('are each notification by e-mail, in the sign-in\'s language, until the person chooses', async () => {
    const response = await preferences();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ email: 'each', language: null });
  });

  it('are each person\'s own, in any role, and kept', async () => {
    expect((await choose({ email: 'daily', language: 'ru' })).json()).toEqual({ email: 'daily', language: 'ru' });
    expect((await choose({ email: 'off', language: null }, ACTORS.supervisor)).json()).toEqual({ email: 'off', language: null });
    expect((await preferences()).json()).toEqual({ email: 'daily', language: 'ru' });
    expect((await preferences(ACTORS.supervisor)).json()).toEqual({ email: 'off', language: null });
    expect((await preferences(ACTORS.coordinator)).json()).toEqual({ email: 'each', language: null });
    // The same id in another organisation is another person.
    expect((await preferences({ ...ACTORS.staff, org: 'akniet' })).json()).toEqual({ email: 'each', language: null });
    const { rows } = await stack.db.pool.query('select organisation, subject, email, language from notification_preferences order by subject');
    expect(rows).toEqual([
      { organisation: ACTORS.staff.org, subject: ACTORS.staff.id, email: 'daily', language: 'ru' },
      { organisation: ACTORS.supervisor.org, subject: ACTORS.supervisor.id, email: 'off', language: null },
    ].sort((a, b) => a.subject.localeCompare(b.subject)));
  });

  it('refuses what is not a choice, as a problem naming the field', async () => {
    for (const [payload, pointer] of [
      [{ email: 'hourly', language: null }, '/email'],
      [{ email: 'each', language: 'kk' }, '/language'],
      [{ email: 'each' }, '/language'],
      [{ email: 'each', language: null, extra: 1 }, ''],
    ] as const) {
      const body = expectProblem(await choose(payload), 400, 'validation-failed');
      expect(body.errors.map((e: { pointer: string }) => e.pointer), JSON.stringify(payload)).toContain(pointer);
    }
    expect((await preferences()).json()).toEqual({ email: 'daily', language: 'ru' });
  });

  it('need a signed-in person', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/v1/me/notification-preferences' }), 401, 'unauthorized');
  });
});

describe('the development mail catcher in the API', () => {
  it('lists what the catcher received, newest first, to anyone signed in', async () => {
    const mailer = createMailer({ ...stack.config.email, smtpUrl: catcher.url });
    await mailer.send({ to: 'staff.mlsp@example.org', subject: 'Pathways: a step is due', text: 'Stage: Medical\n', html: '<p>Stage: Medical</p>', messageId: '<a@example.org>' });
    await mailer.send({ to: 'super@example.org', subject: 'Pathways: этап просрочен', text: 'Этап: Карантин\n', html: '<p>Этап: Карантин</p>', messageId: '<b@example.org>' });
    mailer.close();
    const response = await call(app, stack, ACTORS.staff, { method: 'GET', url: '/v1/dev/mail' });
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toMatchObject([
      { to: ['super@example.org'], subject: 'Pathways: этап просрочен', text: 'Этап: Карантин' },
      { to: ['staff.mlsp@example.org'], subject: 'Pathways: a step is due', text: 'Stage: Medical' },
    ]);
  });

  it('is not there without a catcher (404), nor in production', async () => {
    const without = await buildApp({ config: stack.config, logger: stack.logger, pool: stack.db.pool, client: stack.client, codec: stack.codec, templates: stack.templates, verifier: await createVerifier(stack.config) });
    expectProblem(await call(without, stack, ACTORS.staff, { method: 'GET', url: '/v1/dev/mail' }), 404, 'not-found');
    await without.close();
    const production = await buildApp({
      config: { ...stack.config, mode: 'production' }, logger: stack.logger, pool: stack.db.pool, client: stack.client, codec: stack.codec, templates: stack.templates,
      verifier: await createVerifier(stack.config), mailCatcher: catcher,
    });
    expectProblem(await call(production, stack, ACTORS.staff, { method: 'GET', url: '/v1/dev/mail' }), 404, 'not-found');
    await production.close();
  });
});
