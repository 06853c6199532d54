import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PersonRecord } from '../../src/domain/open.js';
import { call } from '../helpers/api.js';
import { stateOver } from '../helpers/http-driver.js';
import { ARRIVAL, completeStages, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

const ORG = 'mlsp';
const SUPERVISOR: Actor = { id: `supervisor.${ORG}`, role: 'supervisor', org: ORG };
const fullName = (record: PersonRecord) => [record.familyName, record.givenName, record.patronymic].filter(Boolean).join(' ');

function csvOf(rows: PersonRecord[]): string {
  const columns = ['familyGroupId', 'givenName', 'familyName', 'patronymic', 'sex', 'birthDate', 'arrivedWith'] as const;
  const cell = (value: unknown) => (value === undefined ? '' : `"${String(value).replaceAll('"', '""')}"`);
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(c === 'familyGroupId' ? 'family-12' : row[c])).join(','))].join('\r\n');
}

/** The page is no wider than its window (a table may scroll within itself). */
async function fitsWidth(page: import('playwright-core').Page) {
  const widths = await page.evaluate<{ scroll: number; window: number }>('({ scroll: document.documentElement.scrollWidth, window: window.innerWidth })');
  expect(widths.scroll).toBeLessThanOrEqual(widths.window);
}

describe('names where people work, in Chromium', () => {
  const family = [person(33, ARRIVAL, { sex: 'female' }), person(10, ARRIVAL, { arrivedWith: 'mother' }), person(7, ARRIVAL, { arrivedWith: 'mother', birthDate: '2019-04' })];
  let ids: string[] = [];

  it("a cohort's result names the people it opened, and the pathways list names them", async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, `coordinator.${ORG}`);
    await page.goto('/#/cohort');
    await page.selectOption('#programme', 'KZ');
    await page.fill('#arrivalDate', ARRIVAL);
    await page.setInputFiles('#csv', { name: 'arrival.csv', mimeType: 'text/csv', buffer: Buffer.from(csvOf(family)) });
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Every person can be opened (3).').waitFor();
    await page.getByRole('button', { name: 'Open the pathways (3)' }).click();
    await page.getByText('Pathways opened: 3').waitFor();
    // Each link is named after its person, not "Person 1 … 3".
    for (const record of family) await page.getByRole('link', { name: fullName(record) }).waitFor();
    expect(await page.getByText('2019-04 (est.), age 7').count()).toBe(1);
    ids = await Promise.all(family.map(async (record) => (await page.getByRole('link', { name: fullName(record) }).getAttribute('href'))!.split('/').pop()!));
    await checkPage(page, 'names-cohort-opened');

    await page.getByRole('link', { name: 'Pathways' }).click();
    await page.locator('tbody tr').nth(2).waitFor();
    for (const record of family) expect(await page.locator('tbody td.who', { hasText: fullName(record) }).count()).toBe(1);
    await checkPage(page, 'names-pathways');
  });

  it('the worklist and the approvals queue name each person; the worklist fits a phone', async () => {
    const staff = await signIn(ui.browser, ui.baseUrl, `staff.${ORG}`);
    await staff.page.goto('/#/worklist');
    await staff.page.locator('td.who', { hasText: fullName(family[2]!) }).waitFor();
    for (const record of family) await staff.page.getByRole('link', { name: fullName(record) }).waitFor();
    await checkPage(staff.page, 'names-worklist');
    await staff.page.setViewportSize({ width: 390, height: 844 });
    await fitsWidth(staff.page);
    await checkPage(staff.page, 'names-worklist-390');

    // A child whose placement waits for a second supervisor's approval.
    const child = person(8, ARRIVAL, { arrivedWith: 'mother' });
    const id = await openOne(ui.stack, 'KZ', child);
    await completeStages(ui.stack.client, id, ['medical', 'security', 'quarantine']);
    const send = (type: string, payload: object) => call(ui.app, ui.stack, SUPERVISOR, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type, payload } });
    const choose = (await stateOver(ui.app, ui.stack, id, SUPERVISOR)).availableActions.find((a) => a.type === 'placement.choose-option')!;
    const chosen = await send('placement.choose-option', { ...(choose.example as object), option: 'mother' });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect((await send('placement.request-approval', {})).statusCode).toBe(200);
    const second = await signIn(ui.browser, ui.baseUrl, `supervisor-2.${ORG}`);
    await second.page.goto('/#/approvals');
    await second.page.getByRole('link', { name: fullName(child) }).waitFor();
    expect(await second.page.locator('td.who', { hasText: 'age 8' }).count()).toBe(1);
    await checkPage(second.page, 'names-approvals');
  });

  it('a supervisor hides a name: lists show initials, an id and a marker; the pathway page the full name', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, `supervisor.${ORG}`);
    const [mother] = family;
    await page.goto(`/#/pathways/${ids[0]}`);
    await page.getByRole('heading', { name: 'Name in lists' }).waitFor();
    await page.getByRole('button', { name: 'Hide the name in lists' }).click();
    await page.getByText("Hide this person's name in every list, for everyone?").waitFor();
    await checkPage(page, 'names-hide-confirm');
    await page.getByRole('button', { name: 'Yes, hide the name' }).click();
    await page.getByRole('button', { name: 'Show the name in lists again' }).waitFor();
    // Its own page still names the person in full, and says the name is hidden.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(mother!.givenName);
    await page.locator('.hidden-name .badge', { hasText: 'hidden name' }).waitFor();
    await checkPage(page, 'names-hidden-name-pathway');

    const initials = `${mother!.familyName[0]}. ${mother!.givenName[0]}.`;
    const row = page.locator('tbody tr', { hasText: ids[0]!.slice(0, 8) });
    for (let tries = 0; ; tries++) {
      await page.goto('/#/pathways');
      await page.locator('tbody tr').first().waitFor();
      if ((await row.count()) === 1 || tries > 50) break;
      await page.waitForTimeout(200);
    }
    expect(await row.locator('td.who a').textContent()).toBe(`${initials} · id ${ids[0]!.slice(0, 8)}`);
    expect(await row.locator('.badge', { hasText: 'hidden name' }).count()).toBe(1);
    expect(await page.locator('tbody').textContent()).not.toContain(mother!.givenName);
    await checkPage(page, 'names-hidden-name');
    // In Russian too.
    await page.selectOption('#language', 'ru');
    await page.locator('tbody .badge', { hasText: 'имя скрыто' }).waitFor();
    await checkPage(page, 'names-hidden-name-ru');
    await page.selectOption('#language', 'en');

    // The trail names the person (initials: it is not the pathway's page), and who saw them in a list.
    await page.goto(`/#/pathways/${ids[0]}/history`);
    await page.getByText(`Pathway of ${initials}`).waitFor();
    // The access log is read apart from the trail: wait for its rows.
    await page.getByText("Listed with the person's name").first().waitFor();
    await checkPage(page, 'names-history');
  });
});
