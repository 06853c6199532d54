import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { AvailableAction, PathwayView } from '../../src/domain/pathway.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { useApiStack } from '../helpers/api.js';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser.js';
import type { TestStack } from '../helpers/stack.js';

/** What a browser test of the console runs on. */
export interface ConsoleSetup {
  stack: TestStack;
  /** The API, listening on `baseUrl`, which also serves the console. */
  app: FastifyInstance;
  baseUrl: string;
  browser: Browser;
}

/**
 * The stack, the API on a local port and a Chromium, started before a test file's tests and closed
 * after them. Timers run fast, so a follow-up's months pass while a test drives a pathway, and the
 * pathway page links to a Temporal UI. Usable from the file's top level: read it in tests and hooks.
 */
export function useConsole(): Readonly<ConsoleSetup> {
  let apiStack: Pick<ConsoleSetup, 'stack' | 'app'> | undefined;
  let started: ConsoleSetup | undefined;
  useApiStack((stack, app) => {
    apiStack = { stack, app };
  }, { clockScale: 10_000_000, env: { TEMPORAL_UI_URL: 'http://127.0.0.1:8233' } });
  beforeAll(async () => {
    const { stack, app } = apiStack!;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    started = { stack, app, baseUrl, browser: await launchBrowser() };
  });
  afterAll(async () => started?.browser.close());
  const running = () => {
    if (!started) throw new Error('the console starts in beforeAll: use it in tests and hooks');
    return started;
  };
  return {
    get stack() {
      return running().stack;
    },
    get app() {
      return running().app;
    },
    get baseUrl() {
      return running().baseUrl;
    },
    get browser() {
      return running().browser;
    },
  };
}

/** One person at the console: their own browser context, so sessions do not mix. */
export interface ConsoleUser {
  id: string;
  context: BrowserContext;
  page: Page;
}

/** Signs in with a development identity using the keyboard only: Tab to the list, choose, Enter. */
export async function signIn(browser: Browser, baseUrl: string, id: string, checkSignInPage = false): Promise<ConsoleUser> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' });
  const page = await context.newPage();
  watchStates(page);
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  if (checkSignInPage) await checkPage(page, 'sign-in');
  await page.locator('#identity').focus();
  await page.selectOption('#identity', id);
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await page.getByText(`${id} (`).waitFor();
  return { id, context, page };
}

/** Each page checked the same way: no serious or critical axe finding, and a screenshot under test-results/. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  // A key shown as is (`field.x`) is a missing translation.
  expect(await page.locator('body').innerText(), name).not.toMatch(/\b(field|value|stage|action|event|status|role|refusal|error)\.[a-z][A-Za-z-]*/);
  if ((await page.locator('html').getAttribute('lang')) === 'ru') {
    // The pathway's own sentences (blockers, notes) are told in Russian too, not left in English.
    const sentences = await page.locator('.blockers li, .notes li, td.why').allTextContents();
    expect(sentences.filter((text) => !/[а-яё]/i.test(text)), `${name}: sentences left in English`).toEqual([]);
  }
  await everyControlByKeyboard(page, name);
  const findings = await axeViolations(page);
  expect(findings.violations, `${name}: ${findings.summary}`).toEqual([]);
  await screenshot(page, name);
}

const TAG_CONTROLS = `(() => {
  const controls = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary')]
    .filter((el) => el.checkVisibility());
  controls.forEach((el, i) => el.setAttribute('data-kb', String(i)));
  // From the first control (the skip link), as a person arriving on the page.
  controls[0]?.focus();
  return controls.length;
})()`;

/** Every link, button and field of the page is reached by Tab alone, in one pass, with nothing trapping the focus. */
async function everyControlByKeyboard(page: Page, name: string): Promise<void> {
  // A page may still move the focus once (its heading on mount): start the walk after that.
  await page.waitForTimeout(150);
  const count = await page.evaluate<number>(TAG_CONTROLS);
  const reached = new Set<string>(['0']);
  // Up to three passes: a focus moved by the page mid-walk costs a pass, never a missed control.
  for (let i = 0; i < count * 3 + 10 && reached.size < count; i++) {
    await page.keyboard.press('Tab');
    const tag = await page.evaluate<string | null>("document.activeElement && document.activeElement.getAttribute('data-kb')");
    if (tag !== null) reached.add(tag);
  }
  // Still there, enabled and visible: a button that a finished request disabled meanwhile is not missed.
  const missed = await page.evaluate<string[]>(
    `[...document.querySelectorAll('[data-kb]:not([disabled])')].filter((el) => el.checkVisibility() && !${JSON.stringify([...reached])}.includes(el.getAttribute('data-kb'))).map((el) => el.outerHTML.slice(0, 80))`,
  );
  expect(missed, `${name}: controls Tab never reached`).toEqual([]);
}

export async function openPathway(user: ConsoleUser, id: string): Promise<void> {
  // The same address again changes nothing in a page addressed by its hash: reload it to read the state anew.
  if (user.page.url().endsWith(`#/pathways/${id}`)) await user.page.reload();
  else await user.page.goto(`/#/pathways/${id}`);
  await user.page.getByRole('heading', { name: /Stages|Этапы/ }).waitFor();
}

/** The pathway states each page last read or got back from a step, by pathway id: what the driver fills forms from. */
const statesSeen = new WeakMap<Page, Map<string, PathwayView>>();

function watchStates(page: Page): void {
  const seen = new Map<string, PathwayView>();
  statesSeen.set(page, seen);
  page.on('response', async (response) => {
    if (!response.ok() || !/\/v1\/pathways\/[^/?#]+(\/actions)?$/.test(new URL(response.url()).pathname)) return;
    const body = (await response.json().catch(() => undefined)) as (PathwayView & { state?: PathwayView }) | undefined;
    const state = body?.availableActions ? body : body?.state;
    if (state?.pathwayId) seen.set(state.pathwayId, state);
  });
}

/** The example the API offers this page's reader for `type` on the pathway the page shows. */
async function exampleFor(page: Page, type: string): Promise<Record<string, unknown>> {
  const pathwayId = /#\/pathways\/([^/?#]+)/.exec(page.url())?.[1];
  let action: AvailableAction | undefined;
  for (let i = 0; i < 100 && !action; i++) {
    action = statesSeen.get(page)?.get(pathwayId ?? '')?.availableActions.find((a) => a.type === type);
    if (!action) await page.waitForTimeout(50);
  }
  if (!action) throw new Error(`no example of ${type} for pathway ${pathwayId}: the page read no state offering it`);
  return action.example;
}

/**
 * Fills a step's form as a person would, field by field, with `payload`: selects by value (an
 * option the page does not offer, such as an example's household, falls back to the first offered),
 * yes/no radios, ticks, numbers, deadlines in days, text.
 */
export async function fillStep(page: Page, fieldsPrefix: string, payload: Record<string, unknown>): Promise<void> {
  for (const [name, value] of Object.entries(payload)) {
    const id = `${fieldsPrefix}-${name}`;
    const control = page.locator(`#${id}`);
    if (typeof value === 'boolean') {
      if (await page.locator(`#${id}-yes`).count()) await page.check(`#${id}-${value ? 'yes' : 'no'}`);
      else if (value) await control.check();
      continue;
    }
    if (Array.isArray(value)) {
      if (await page.locator(`#${id}-${String(value[0])}`).count()) for (const item of value) await page.check(`#${id}-${String(item)}`);
      else await control.fill(value.join(', '));
      continue;
    }
    // A field the page gives itself (one's own organisation) has no control.
    if (!(await control.count()) || !(await control.evaluate((el) => ['SELECT', 'INPUT', 'TEXTAREA'].includes(el.tagName)))) continue;
    if ((await control.evaluate((el) => el.tagName)) === 'SELECT') {
      const wanted = value !== null && typeof value === 'object' ? Object.entries(value).map(([k, v]) => `${k}:${String(v)}`)[0]! : String(value);
      // Options that come from the API (colleagues, a family's households) may still be loading.
      await expect.poll(() => control.locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(1);
      const offered = await control.locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
      await control.selectOption(offered.includes(wanted) ? wanted : offered[0]!);
      continue;
    }
    const days = typeof value === 'string' ? /^P(\d+)D$/.exec(value) : null;
    await control.fill(days ? days[1]! : String(value));
  }
}

/** The form on the page that offers `type`: the routine steps' or the exceptions'. */
async function formOffering(page: Page, type: string): Promise<{ select: string; fields: string; form: Locator }> {
  for (const prefix of ['action', 'exception']) {
    const select = `#${prefix}-type`;
    const offered = await page.locator(`${select} option`).evaluateAll((options) => options.map((o) => o.getAttribute('value') ?? ''));
    if (offered.includes(type)) return { select, fields: prefix === 'action' ? 'payload' : `${prefix}-payload`, form: page.locator('.step-form', { has: page.locator(select) }) };
  }
  throw new Error(`${type} is not offered`);
}

/**
 * Records one step in the browser: chooses it, fills its form with `payload` (by default the
 * example the API offers for it), presses Record, confirms where the step asks for it, and waits
 * for the pathway's new state.
 */
export async function recordStep(user: ConsoleUser, type: string, payload?: Record<string, unknown>): Promise<void> {
  // Closing is not a routine step: it has its own form, with a confirmation.
  if (type === 'pathway.close') return closeAsCompleted(user);
  const { page } = user;
  const { select, fields, form } = await formOffering(page, type).catch(() => {
    throw new Error(`${user.id} is not offered ${type}`);
  });
  await page.selectOption(select, type);
  await fillStep(page, fields, payload ?? (await exampleFor(page, type)));
  const answered = page.waitForResponse((response) => response.url().includes('/actions') && response.request().method() === 'POST');
  const record = form.getByRole('button', { name: /^(Record|Записать)/ });
  await expect.poll(() => record.isEnabled(), { message: `${type}: the form is still not valid once filled` }).toBe(true);
  await record.click();
  // Placement decisions, transfers and corrections say what will happen first: the driver agrees.
  const confirm = form.getByRole('alertdialog');
  const asked = await Promise.race([answered.then(() => false), confirm.waitFor({ timeout: 15_000 }).then(() => true)]);
  if (asked) await confirm.getByRole('button', { name: /^(Yes|Да)/ }).click();
  const response = await answered;
  if (response.status() !== 200) throw new Error(`${type} refused: ${await response.text()}`);
  await page.getByRole('heading', { name: /Stages|Этапы/ }).waitFor();
}

/** Presses Tab until the focus is on `selector` (fails if the keyboard cannot get there). */
export async function tabTo(page: Page, selector: string, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await page.locator(`${selector}:focus`).count()) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`the keyboard does not reach ${selector}`);
}

/** Closes a finished pathway in the browser: the reason chosen, then the confirmation's button. */
export async function closeAsCompleted(user: ConsoleUser): Promise<void> {
  const section = user.page.locator('section.close-pathway');
  await section.locator('#close-reason').selectOption('completed');
  await section.getByRole('button', { name: /^(Continue|Далее)$/ }).click();
  const answered = user.page.waitForResponse((response) => response.url().includes('/actions') && response.request().method() === 'POST');
  await section.getByRole('alertdialog').getByRole('button', { name: /^(Close the pathway|Закрыть маршрут)$/ }).click();
  const response = await answered;
  if (response.status() !== 200) throw new Error(`pathway.close refused: ${await response.text()}`);
  await user.page.getByRole('heading', { name: /Stages|Этапы/ }).waitFor();
}
