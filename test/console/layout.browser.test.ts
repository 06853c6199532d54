import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem } from '../helpers/api.js';
import { driveOverHttp } from '../helpers/http-driver.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

/** 27 people of one arrival: more than one page of the pathways list (25). */
const cohort = Array.from({ length: 27 }, (_, i) => person(i % 2 ? 30 : 8, ARRIVAL, i % 2 ? {} : { arrivedWith: 'mother' }));
let ids: string[] = [];

beforeAll(async () => {
  const opened = await call(ui.app, ui.stack, ACTORS.coordinator, {
    method: 'POST',
    url: '/v1/cohorts',
    payload: { programme: 'KZ', operation: 'Zhusan', phase: '2', arrivalDate: ARRIVAL, people: cohort.map((p) => ({ familyGroupId: 'F-1', person: p })) },
  });
  expect(opened.statusCode, opened.body).toBe(201);
  ids = opened.json().pathways.map((p: { id: string }) => p.id);
}, 120_000);

describe('the session is shared by the tabs of one browser', () => {
  it('a new tab is signed in without asking; signing out in one tab signs out all; nothing in cookies or localStorage', async () => {
    const first = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    const second = await first.context.newPage();
    await second.goto('/#/worklist');
    await second.getByText('staff.mlsp (').waitFor();
    await second.getByRole('heading', { name: 'Worklist' }).waitFor();
    expect(await second.evaluate<number>('localStorage.length')).toBe(0);
    expect(await first.context.cookies()).toEqual([]);
    expect(await second.evaluate<string | null>("sessionStorage.getItem('pathways.session')")).toContain('"staff.mlsp"');

    await second.getByRole('button', { name: 'Sign out' }).click();
    await first.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await first.page.evaluate<string | null>("sessionStorage.getItem('pathways.session')")).toBeNull();
    // A tab opened now finds no session to share: it asks to sign in.
    const third = await first.context.newPage();
    await third.goto('/');
    await third.getByRole('heading', { name: 'Sign in' }).waitFor();
    await first.context.close();
  });
});

describe("a list's filters and page are in the address", () => {
  it('filters and the next page go in the hash; Back and Forward bring them back; no name in the address', async () => {
    const { page, context } = await signIn(ui.browser, ui.baseUrl, 'coordinator.mlsp');
    await page.getByRole('heading', { name: 'Pathways' }).waitFor();
    await page.selectOption('#f-status', 'active');
    await page.fill('#f-family', 'F-1');
    await page.getByRole('button', { name: 'Filter' }).click();
    const hash = () => new URL(page.url()).hash;
    await expect.poll(hash).toBe('#/pathways?familyGroup=F-1&status=active');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(25);
    const firstPage = await rows.first().textContent();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(hash).toMatch(/^#\/pathways\?after=[\w-]+&familyGroup=F-1&status=active$/);
    await expect.poll(() => rows.count()).toBe(2);
    expect(page.url()).not.toMatch(new RegExp(cohort.map((p) => p.familyName).join('|')));

    await page.goBack();
    await expect.poll(hash).toBe('#/pathways?familyGroup=F-1&status=active');
    await expect.poll(() => rows.count()).toBe(25);
    expect(await rows.first().textContent()).toBe(firstPage);
    expect(await page.inputValue('#f-family')).toBe('F-1');
    await page.goBack();
    // The first page, as signing in showed it.
    await expect.poll(hash).toBe('');
    await expect.poll(() => page.inputValue('#f-status')).toBe('');
    await page.goForward();
    await expect.poll(hash).toBe('#/pathways?familyGroup=F-1&status=active');
    await page.goForward();
    await expect.poll(hash).toContain('after=');
    await expect.poll(() => rows.count()).toBe(2);
    // The address opens the same page in another tab.
    const other = await context.newPage();
    await other.goto(page.url());
    await expect.poll(() => other.locator('tbody tr').count()).toBe(2);
    expect(await other.inputValue('#f-status')).toBe('active');
    await context.close();
  });
});

describe('the history names the person and pages its access log', () => {
  const log = (query: string) => call(ui.app, ui.stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${ids[1]}/access-log${query}` });

  it('the API answers a page at a time with cursors both ways, and refuses a bad cursor or limit', async () => {
    for (let i = 0; i < 6; i++) await call(ui.app, ui.stack, ACTORS.staff, { method: 'GET', url: `/v1/pathways/${ids[1]}` });
    const whole = (await log('?limit=500')).json();
    const first = (await log('?limit=3')).json();
    expect(first.entries).toHaveLength(3);
    expect(first.previousCursor).toBeNull();
    const second = (await log(`?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second.entries).toEqual(whole.entries.slice(3, 6));
    const back = (await log(`?limit=3&cursor=${second.previousCursor}`)).json();
    expect(back.entries).toEqual(first.entries);
    expect(back.previousCursor).toBeNull();
    expectProblem(await log('?cursor=not-a-cursor'), 400, 'validation-failed');
    expectProblem(await log(`?cursor=${Buffer.from('["sideways",3]').toString('base64url')}`), 400, 'validation-failed');
    expectProblem(await log('?limit=0'), 400, 'validation-failed');
    expectProblem(await log('?limit=501'), 400, 'validation-failed');
    expectProblem(await log('?page=2'), 400, 'validation-failed');
  });

  it('the console names whose history it is and moves between pages of the log', async () => {
    for (let i = 0; i < 55; i++) await call(ui.app, ui.stack, ACTORS.staff, { method: 'GET', url: `/v1/pathways/${ids[1]}` });
    const { page, context } = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    await page.goto(`/#/pathways/${ids[1]}/history`);
    const who = cohort[1]!;
    await page.getByText(`Pathway of ${who.familyName} ${who.givenName}`).waitFor();
    const rows = page.getByRole('region', { name: 'Who read this pathway' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => new URL(page.url()).hash).toMatch(/\?log=/);
    await expect.poll(() => rows.count()).toBeLessThan(50);
    await checkPage(page, 'supervisor-history-log-page-2');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => rows.count()).toBe(50);
    await page.goBack();
    await expect.poll(() => rows.count()).toBeLessThan(50);
    await context.close();
  });
});

describe('an approval shows what it approves', () => {
  it('the approvals queue gives the option, household, who asked and when, in the API and at the console', async () => {
    const child = ids[0]!;
    await driveOverHttp(ui.app, ui.stack, child, { until: (s) => s.availableActions.some((a) => a.type === 'placement.approve'), timeoutMs: 120_000 });
    const state = (await call(ui.app, ui.stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${child}` })).json();
    const placement = state.stages.find((s: { stage: string }) => s.stage === 'placement').details;
    const trail = (await call(ui.app, ui.stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${child}/history` })).json().entries;
    const asked = trail.findLast((e: { type: string }) => e.type === 'placement.request-approval');

    const queue = await call(ui.app, ui.stack, { id: 'supervisor.mlsp', role: 'supervisor', org: 'mlsp' }, { method: 'GET', url: '/v1/worklist?kind=approvals' });
    const item = queue.json().items.find((i: { id: string }) => i.id === child);
    expect(item.decision).toEqual({ kind: 'placement', option: placement.option, household: placement.householdId, preparedBy: asked.actor.id, preparedAt: asked.occurredAt });

    const { page, context } = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    const row = page.locator('tbody tr').filter({ has: page.locator(`a[href="#/pathways/${child}"]`) });
    await row.waitFor();
    const text = await row.locator('.decision').textContent();
    expect(text).toContain(`Household: ${placement.householdId}`);
    expect(text).toContain(`Asked by ${asked.actor.id}`);
    expect(text).toMatch(/^Placement: \w/);
    await checkPage(page, 'supervisor-approvals-decision');
    await page.selectOption('#language', 'ru');
    await expect.poll(() => row.locator('.decision').textContent()).toMatch(/^Размещение: .*Домохозяйство: .*Запрос: /);
    await checkPage(page, 'supervisor-approvals-decision-ru');
    await context.close();
  });
});
