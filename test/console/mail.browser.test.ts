import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createVerifier } from '../../src/api/auth.js';
import { startMailCatcher, type MailCatcher } from '../../src/notify/email/catcher.js';
import { createMailer } from '../../src/notify/email/mailer.js';
import { renderNotification } from '../../src/notify/email/render.js';
import { launchBrowser } from '../helpers/browser.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { checkPage, signIn } from './console-driver.js';

let stack: TestStack;
let app: FastifyInstance;
let catcher: MailCatcher;
let browser: Browser;
let baseUrl: string;

/** A phone's screen. */
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  catcher = await startMailCatcher(stack.logger);
  app = await buildApp({
    config: stack.config, logger: stack.logger, pool: stack.db.pool, client: stack.client, codec: stack.codec, templates: stack.templates,
    verifier: await createVerifier(stack.config), mailCatcher: catcher,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  // Two e-mails caught, one in each language, with a long link.
  const mailer = createMailer({ ...stack.config.email, smtpUrl: catcher.url });
  const due = { kind: 'step-due-soon', pathwayId: '0b8a6f1e-5f0c-4c1e-9a55-1d2c3b4a5f6e', data: { programme: 'KZ', stage: 'documentation', dueAt: '2026-12-09' } };
  for (const [i, language] of ['en', 'ru'].entries()) {
    await mailer.send({ to: `supervisor-sue+${language}@mlsp.example.org`, ...renderNotification(language, due, baseUrl, stack.config.organisations), messageId: `<${i}@example.org>` });
  }
  mailer.close();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await catcher?.stop();
  await stack?.stop();
});

/** Nothing reaches past the right edge of the screen. */
const fitsWidth = () => `document.documentElement.scrollWidth <= innerWidth`;

describe('e-mail in the console', () => {
  it('lets a person choose a daily digest and the language of their e-mails, on a phone, in English and Russian', async () => {
    const { page, context } = await signIn(browser, baseUrl, 'staff.mlsp');
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'E-mail settings' }).click();
    await page.getByRole('heading', { name: 'E-mail settings' }).waitFor();
    expect(await page.inputValue('#mail-email')).toBe('each');
    await checkPage(page, 'mail-settings-390-en');
    expect(await page.evaluate(fitsWidth())).toBe(true);
    await page.selectOption('#mail-email', 'daily');
    await page.selectOption('#mail-language', 'ru');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    const { rows } = await stack.db.pool.query('select email, language from notification_preferences where organisation = $1 and subject = $2', ['mlsp', 'staff.mlsp']);
    expect(rows).toEqual([{ email: 'daily', language: 'ru' }]);

    await page.selectOption('#language', 'ru');
    await page.getByRole('heading', { name: 'Настройки почты' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Настройки почты' }).waitFor();
    expect(await page.inputValue('#mail-email')).toBe('daily');
    await checkPage(page, 'mail-settings-390-ru');
    expect(await page.evaluate(fitsWidth())).toBe(true);
    await context.close();
  }, 120_000);

  it('shows the e-mails the development catcher received, linked from the header in development', async () => {
    const { page, context } = await signIn(browser, baseUrl, 'supervisor.mlsp');
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'E-mails sent (development)' }).click();
    await page.getByRole('heading', { name: 'E-mails sent (development)' }).waitFor();
    const articles = page.locator('article.mail');
    await articles.first().waitFor();
    expect(await articles.count()).toBe(2);
    // Newest first: the Russian one.
    expect(await articles.nth(0).innerText()).toMatch(/supervisor-sue\+ru@mlsp\.example\.org[\s\S]*Этап: Документы|Этап:/);
    expect(await articles.nth(1).innerText()).toContain('Sign in to see it:');
    await checkPage(page, 'dev-mail-390-en');
    expect(await page.evaluate(fitsWidth())).toBe(true);
    await page.selectOption('#language', 'ru');
    await page.getByRole('heading', { name: 'Отправленные письма (разработка)' }).waitFor();
    await checkPage(page, 'dev-mail-390-ru');
    expect(await page.evaluate(fitsWidth())).toBe(true);
    await context.close();
  }, 120_000);
});
