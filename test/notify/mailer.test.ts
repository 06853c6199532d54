import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { startMailCatcher } from '../../src/notify/email/catcher.js';
import { createMailer, messageIdOf, transportOptions } from '../../src/notify/email/mailer.js';
import { mailLanguage, renderDigest, renderNotification } from '../../src/notify/email/render.js';
import { digestBoundary } from '../../src/notify/email/schedule.js';

import { startSmtpReceiver } from '../helpers/smtp-receiver.js';
import { testLogger } from '../helpers/stack.js';

const config = loadConfig({});
const stops: (() => unknown)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

const due = { kind: 'step-due-soon', pathwayId: '0b8a6f1e-5f0c-4c1e-9a55-1d2c3b4a5f6e', data: { programme: 'KZ', stage: 'medical', dueAt: '2026-12-09' } };

describe('the mailer', () => {
  it('needs STARTTLS from any SMTP server off this machine, TLS from the start with smtps://, and signs in with the URL\'s credentials', () => {
    expect(transportOptions('smtp://relay:p%40ss@mail.example.org')).toMatchObject({ host: 'mail.example.org', port: 587, secure: false, requireTLS: true, pool: true, auth: { user: 'relay', pass: 'p@ss' } });
    expect(transportOptions('smtps://mail.example.org')).toMatchObject({ port: 465, secure: true, requireTLS: false, auth: undefined });
    expect(transportOptions('smtp://127.0.0.1:2525')).toMatchObject({ host: '127.0.0.1', port: 2525, requireTLS: false });
    expect(transportOptions('smtp://[::1]:2525')).toMatchObject({ host: '::1', requireTLS: false });
  });

  it('refuses to send in the clear to an SMTP server off this machine that does not offer STARTTLS', async () => {
    const address = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!address) return;
    const receiver = await startSmtpReceiver(0, address);
    stops.push(receiver.stop);
    const mailer = createMailer({ ...config.email, smtpUrl: receiver.url });
    stops.push(() => mailer.close());
    await expect(mailer.send({ to: 'worker@example.org', subject: 's', text: 't', html: '<p>t</p>', messageId: '<x@example.org>' })).rejects.toThrow(/STARTTLS/);
    expect(receiver.received).toEqual([]);
  });

  it('sends plain text and simple HTML over real SMTP, with the Message-ID it is given, in Russian too', async () => {
    const receiver = await startSmtpReceiver();
    stops.push(receiver.stop);
    const mailer = createMailer({ ...config.email, smtpUrl: receiver.url, from: 'Pathways <notify@pathways.example.org>' });
    stops.push(() => mailer.close());
    const mail = renderNotification('ru', due, 'https://pathways.example.org/', config.organisations);
    const messageId = messageIdOf('6d9f0a52-2b7e-4a51-9f3c-7e1f4f0b9d11', 'Pathways <notify@pathways.example.org>');
    await mailer.send({ to: 'worker@example.org', ...mail, messageId });
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got).toMatchObject({ to: ['worker@example.org'], from: 'notify@pathways.example.org', messageId: '<6d9f0a52-2b7e-4a51-9f3c-7e1f4f0b9d11@pathways.example.org>' });
    expect(got!.subject).toBe(mail.subject);
    expect(got!.text.trim()).toBe(mail.text.trim());
    expect(got!.text).toContain('Этап: Медицинское обследование'.split(':')[0]);
    expect(got!.text).toContain(`https://pathways.example.org/#/pathways/${due.pathwayId}`);
    expect(got!.html).toContain(`<a href="https://pathways.example.org/#/pathways/${due.pathwayId}">`);
  });
});

describe('the development mail catcher', () => {
  it('keeps what it receives, newest first, and reads subject and text as they were sent', async () => {
    const catcher = await startMailCatcher(testLogger());
    stops.push(catcher.stop);
    expect(catcher.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    const mailer = createMailer({ ...config.email, smtpUrl: catcher.url });
    stops.push(() => mailer.close());
    const english = renderNotification('en', due, 'http://127.0.0.1:3000', config.organisations);
    const russian = renderDigest('ru', [due, { ...due, kind: 'referral-received', data: { programme: 'KZ', stage: 'psychosocial' } }], 'http://127.0.0.1:3000', config.organisations);
    await mailer.send({ to: 'a@example.org', ...english, messageId: '<1@pathways.example.org>' });
    await mailer.send({ to: 'b@example.org', ...russian, messageId: '<2@pathways.example.org>' });
    const [second, first] = catcher.messages();
    expect(first).toMatchObject({ to: ['a@example.org'], subject: english.subject, text: english.text.trimEnd() });
    expect(second).toMatchObject({ to: ['b@example.org'], subject: russian.subject, text: russian.text.trimEnd() });
    expect(second!.subject).toMatch(/2 уведомления/);
    expect(Date.parse(first!.date)).toBeLessThanOrEqual(Date.now());
  });
});

describe('what an e-mail says', () => {
  it('is in the reader\'s language, English when it has none of ours', () => {
    expect(mailLanguage('ru-RU')).toBe('ru');
    expect(mailLanguage(null, 'ru')).toBe('ru');
    expect(mailLanguage('kk', undefined)).toBe('en');
    expect(mailLanguage()).toBe('en');
  });

  it('names the stage and the due date, links to the pathway, and reads nothing else of the data', () => {
    const mail = renderNotification('en', { ...due, data: { ...due.data, reason: 'Dilnozakhon Karimovaya was born 2015-03-04', note: 'Karimovaya' } }, 'https://p.example.org', config.organisations);
    expect(mail.text).toContain('Stage: Medical');
    expect(mail.text).toContain('Due: Dec 9, 2026');
    expect(mail.text).toContain('Sign in to see it: https://p.example.org/#/pathways/');
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/Karimovaya|Dilnozakhon|2015/);
  });

  it('lists a digest\'s notifications by kind, each with its facts and link', () => {
    const other = { kind: 'step-overdue', pathwayId: 'a1b2c3d4-0000-4000-8000-000000000001', data: { programme: 'UZ', stage: 'quarantine', dueAt: '2026-12-01' } };
    const digest = renderDigest('en', [due, other, { ...due, pathwayId: 'a1b2c3d4-0000-4000-8000-000000000002' }], 'https://p.example.org', config.organisations);
    expect(digest.subject).toBe('Pathways: 3 notifications for you');
    const links = [...digest.text.matchAll(/#\/pathways\/([\w-]+)/g)].map((m) => m[1]);
    // The two of one kind together, then the other.
    expect(links).toEqual([due.pathwayId, 'a1b2c3d4-0000-4000-8000-000000000002', other.pathwayId]);
  });

  it('goes once a day at the digest hour (UTC), or every interval in tests', () => {
    const email = { ...config.email, digestHour: 7 };
    expect(digestBoundary(new Date('2026-12-07T06:59:00Z'), email).toISOString()).toBe('2026-12-06T07:00:00.000Z');
    expect(digestBoundary(new Date('2026-12-07T07:00:00Z'), email).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(digestBoundary(new Date('2026-12-07T23:10:00Z'), email).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(digestBoundary(new Date('2026-12-07T23:10:07Z'), { ...email, digestIntervalMs: 5000 }).toISOString()).toBe('2026-12-07T23:10:05.000Z');
  });
});
