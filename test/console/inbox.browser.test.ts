import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { raiseNotification } from '../../src/db/notifications.js';
import { databaseAudience } from '../../src/notify/catalogue.js';
import { wordsFor } from '../../src/print/locale.js';
import { call } from '../helpers/api.js';
import { ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, signIn, useConsole } from './console-driver.js';
import { until } from '../agencies/orgs.js';

const ui = useConsole();

const actor = (id: string): Actor => {
  const [role, org] = id.split('.') as [string, string];
  return { id, role: role.replace(/-2$/, '') as Actor['role'], org };
};
const post = (who: Actor, url: string, payload: object) => call(ui.app, ui.stack, who, { method: 'POST', url, payload });

async function openAdult(org: string, age: number): Promise<string> {
  const opened = await post(actor(`coordinator.${org}`), '/v1/pathways', { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: person(age, ARRIVAL, { sex: 'female' }) });
  expect(opened.statusCode, opened.body).toBe(201);
  return opened.json().id;
}

async function act(who: Actor, id: string, type: string, payload: object): Promise<void> {
  const response = await post(who, `/v1/pathways/${id}/actions`, { type, payload });
  expect(response.statusCode, response.body).toBe(200);
}

type Notice = { id: string; kind: string; pathwayId: string | null; read: boolean };

/** What the API tells `who`: the notifications of `kind` about `pathways`, and the unread count. */
async function told(who: Actor, kind: string, pathways: string[]): Promise<{ unread: number; found: Notice[] }> {
  const response = await call(ui.app, ui.stack, who, { method: 'GET', url: '/v1/notifications?state=all&limit=100' });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json() as { unread: number; notifications: Notice[] };
  return { unread: body.unread, found: body.notifications.filter((n) => n.kind === kind && pathways.includes(n.pathwayId ?? '')) };
}

/** Waits until nothing new reaches any of `who` for four seconds. */
async function quiet(who: Actor[], timeoutMs = 60_000): Promise<void> {
  const counts = async () => JSON.stringify(await Promise.all(who.map((w) => unreadOf(w))));
  let last = await counts();
  for (let since = Date.now(), start = Date.now(); Date.now() - since < 4000; ) {
    if (Date.now() - start > timeoutMs) throw new Error('notifications kept arriving');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await counts();
    if (now !== last) [last, since] = [now, Date.now()];
  }
}

const unreadOf = async (who: Actor) => (await call(ui.app, ui.stack, who, { method: 'GET', url: '/v1/notifications/unread' })).json().unread as number;

/** Each language's words the test reads, as the console shows them. */
const WORDS = {
  en: { inbox: 'Inbox', unread: (n: number) => `Inbox, ${n} unread`, markOne: 'Mark as read', markAll: 'Mark all as read', showUnread: 'Unread', none: 'No unread notifications.', marker: 'New' },
  ru: { inbox: 'Входящие', unread: (n: number) => new RegExp(`^Входящие, ${n} непрочитанн`), markOne: 'Отметить как прочитанное', markAll: 'Отметить все как прочитанные', showUnread: 'Непрочитанные', none: 'Непрочитанных уведомлений нет.', marker: 'Новое' },
};

/** The header's link to the inbox, and the count its name says (0 when it names none). */
async function headerCount(page: Page): Promise<number> {
  const name = (await page.locator('header a.inbox-link').getAttribute('aria-label')) ?? '';
  return Number(/\d+/.exec(name)?.[0] ?? 0);
}

/**
 * Two early closes asked by `preparer` on `pathways` wait for another supervisor: `reader` finds them in the
 * count on another page and in the inbox, reads each sentence with its link, marks one read (the count goes
 * down) and then all (the unread list is empty); `preparer` is told of neither.
 */
async function readDecisions(language: 'en' | 'ru', reader: string, preparer: string, pathways: string[]): Promise<void> {
  const words = WORDS[language];
  const { page, context } = await signIn(ui.browser, ui.baseUrl, reader);
  if (language === 'ru') await page.selectOption('#language', 'ru');
  // Another page: the count is in the header of every page, asked when the page loads.
  await page.goto('/#/worklist');
  await page.locator('main h1').waitFor();
  const before = await unreadOf(actor(reader));
  expect(before).toBeGreaterThanOrEqual(2);
  const link = page.getByRole('link', { name: words.unread(before) });
  await link.waitFor();
  expect(await link.locator('.badge').innerText()).toBe(String(before));
  await checkPage(page, `inbox-count-${language}`);

  await link.click();
  await page.getByRole('heading', { name: words.inbox }).waitFor();
  // The kind's sentence in the chosen language, as a link to its pathway.
  const sentence = wordsFor(language).t('notification.kind.decision-waiting', { decision: 'early-closure' });
  expect(sentence).toMatch(language === 'ru' ? /[а-яё]/i : /approval/);
  const itemOf = (id: string) => page.locator('ul.inbox li', { has: page.getByRole('link', { name: sentence }).and(page.locator(`a[href="#/pathways/${id}"]`)) });
  for (const id of pathways) {
    const item = itemOf(id);
    await item.waitFor();
    // Unread: in bold, with a marker in words.
    expect(await item.locator('.badge').innerText()).toBe(words.marker);
    expect(Number(await item.locator('p').evaluate((p) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontWeight: string } }).getComputedStyle(p).fontWeight))).toBeGreaterThanOrEqual(600);
    expect(await item.locator('time').innerText()).not.toBe('');
  }
  await checkPage(page, `inbox-${language}`);

  // One read: the count goes down by one, in the header too, and its marker goes.
  const first = itemOf(pathways[0]!);
  await first.getByRole('button', { name: words.markOne }).click();
  await first.locator('.badge').waitFor({ state: 'detached' });
  await expect.poll(() => headerCount(page)).toBe(before - 1);
  expect(await unreadOf(actor(reader))).toBe(before - 1);
  if (language === 'ru') {
    // On a phone: one read, the others still in bold with their marker (README's picture).
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await checkPage(page, 'inbox-390-ru');
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  // Unread only, in the address; then all read: nothing is left to show.
  await page.getByRole('button', { name: words.showUnread }).click();
  await expect.poll(() => page.url()).toMatch(/#\/inbox\?state=unread$/);
  await expect.poll(() => itemOf(pathways[0]!).count()).toBe(0);
  await itemOf(pathways[1]!).waitFor();
  await page.getByRole('button', { name: words.markAll }).click();
  await page.getByText(words.none).waitFor();
  expect(await page.locator('ul.inbox li').count()).toBe(0);
  await expect.poll(() => headerCount(page)).toBe(0);
  expect(await page.locator('header a.inbox-link .badge').count()).toBe(0);
  expect(await unreadOf(actor(reader))).toBe(0);
  // The address keeps the filter: a reload shows unread ones still.
  await page.reload();
  await page.getByText(words.none).waitFor();
  await checkPage(page, `inbox-all-read-${language}`);
  await context.close();

  // Whoever asked is told of neither, in the API or the console.
  expect((await told(actor(preparer), 'decision-waiting', pathways)).found).toEqual([]);
  const asker = await signIn(ui.browser, ui.baseUrl, preparer);
  if (language === 'ru') await asker.page.selectOption('#language', 'ru');
  await asker.page.goto('/#/inbox');
  await asker.page.getByRole('heading', { name: words.inbox }).waitFor();
  await asker.page.waitForLoadState('networkidle');
  await asker.page.locator('main p.muted[role=status]').waitFor({ state: 'detached' });
  expect(await asker.page.getByRole('link', { name: sentence }).count()).toBe(0);
  await asker.context.close();
}

describe('the inbox in the console, in English and Russian', () => {
  const ids = { mlsp: [] as string[], akniet: [] as string[] };

  beforeAll(async () => {
    ids.mlsp = [await openAdult('mlsp', 41), await openAdult('mlsp', 42)];
    ids.akniet = [await openAdult('akniet', 43), await openAdult('akniet', 44)];
    // A referral to pravo: its staff are told one is waiting.
    await act(actor('staff.mlsp'), ids.mlsp[0]!, 'referral.create', { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' });
    // Early closes, each waiting for a supervisor other than the one who asked.
    for (const id of ids.mlsp) await act(actor('supervisor.mlsp'), id, 'pathway.close', { reason: 'withdrawn' });
    for (const id of ids.akniet) await act(actor('supervisor-2.akniet'), id, 'pathway.close', { reason: 'withdrawn' });
    await until(() => told(actor('supervisor-2.mlsp'), 'decision-waiting', ids.mlsp), (t) => t.found.length === 2);
    await until(() => told(actor('supervisor.akniet'), 'decision-waiting', ids.akniet), (t) => t.found.length === 2);
    await until(() => told(actor('staff.pravo'), 'referral-received', [ids.mlsp[0]!]), (t) => t.found.length === 1);
    // The console's clock runs a template day in 9 ms: the pathways' reminders and escalations
    // (told to these supervisors too) fire within seconds. The counts below are exact once they have.
    await quiet(['supervisor-2.mlsp', 'supervisor.akniet', 'staff.pravo'].map(actor));
  }, 120_000);

  it('in English: a decision waiting is counted on every page, listed with its link, marked read one by one and all at once, never shown to who asked', async () => {
    await readDecisions('en', 'supervisor-2.mlsp', 'supervisor.mlsp', ids.mlsp);
  });

  it('in Russian: the same', async () => {
    await readDecisions('ru', 'supervisor.akniet', 'supervisor-2.akniet', ids.akniet);
  });

  it('asks for the count when the console opens, on each new page and once a minute, never more often', async () => {
    const { page, context } = await signIn(ui.browser, ui.baseUrl, 'coordinator.mlsp');
    let asked = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/notifications/unread') asked += 1;
    });
    // The page's own clock, from a fresh load: its minute passes when the test says so.
    await page.clock.install();
    await page.reload();
    await page.locator('header a.inbox-link').waitFor();
    await expect.poll(() => asked).toBe(1);
    await page.clock.runFor(59_000);
    expect(asked).toBe(1);
    await page.clock.runFor(2_000);
    await expect.poll(() => asked).toBe(2);
    // Another page asks at once; its minute starts again from there.
    await page.getByRole('link', { name: 'Worklist' }).click();
    await expect.poll(() => asked).toBe(3);
    await page.clock.runFor(59_000);
    expect(asked).toBe(3);
    await page.clock.runFor(2_000);
    await expect.poll(() => asked).toBe(4);
    await context.close();
  });

  it('shows 25 at a time, newest first, and the next ones after "More"', async () => {
    const oversight = ui.stack.config.auth.oversightOrg;
    // Thirty incidents, told to oversight's supervisors as the service tells them.
    for (let i = 0; i < 30; i++) {
      await raiseNotification(ui.stack.db.pool, { eventKey: `inbox-test-incident-${i}`, kind: 'incident', organisation: oversight, data: { reason: 'test' }, audience: databaseAudience.incident(oversight) });
    }
    const { page, context } = await signIn(ui.browser, ui.baseUrl, `supervisor.${oversight}`);
    await page.goto('/#/inbox');
    const items = page.locator('ul.inbox li');
    await expect.poll(() => items.count()).toBe(25);
    const newest = (await call(ui.app, ui.stack, actor(`supervisor.${oversight}`), { method: 'GET', url: '/v1/notifications?limit=1' })).json().notifications[0].id;
    expect(await items.first().getAttribute('id')).toBe(`n-${newest}`);
    await page.getByRole('button', { name: 'More' }).click();
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(30);
    // The keyboard goes on from the first one added; nothing is listed twice; no "More" after the last.
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe(await items.nth(25).getAttribute('id'));
    const ids = await items.evaluateAll((lis) => lis.map((li) => li.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await page.getByRole('button', { name: 'More' }).count()).toBe(0);
    await context.close();
  });

  it('tells the receiving organisation of a referral, in Russian, at phone width', async () => {
    const { page, context } = await signIn(ui.browser, ui.baseUrl, 'staff.pravo');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.selectOption('#language', 'ru');
    await page.goto('/#/inbox');
    const item = page.locator('ul.inbox li', { has: page.locator(`a[href="#/pathways/${ids.mlsp[0]}"]`) });
    await item.waitFor();
    // The sentence in Russian, the stage and the sender by their names.
    const ru = wordsFor('ru');
    const sentence = ru.t('notification.kind.referral-received', { stage: ru.t('stage.psychosocial'), from: 'Министерство труда и социальной защиты населения' });
    expect(await item.getByRole('link').innerText()).toBe(sentence);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await checkPage(page, 'inbox-referral-390-ru');
    await context.close();
  });
});
