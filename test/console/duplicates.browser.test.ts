import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call } from '../helpers/api.js';
import { ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

const COORDINATOR: Actor = { id: 'coordinator.mlsp', role: 'coordinator', org: 'mlsp' };
const ELSEWHERE: Actor = { id: 'coordinator.pravo', role: 'coordinator', org: 'pravo' };

/** The same woman as two agencies write her: in Cyrillic, and in Latin letters. */
const cyrillic = person(36, ARRIVAL, { givenName: 'Айша', familyName: 'Абдуллаева', patronymic: undefined, sex: 'female', birthDate: '1990-03-14', arrivedWith: 'adult' });
const latin = { ...cyrillic, givenName: 'Aysha', familyName: 'Abdullayeva' };

const openByApi = (actor: Actor, who: object) =>
  call(ui.app, ui.stack, actor, {
    method: 'POST',
    url: '/v1/pathways',
    payload: { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: who },
    headers: { prefer: 'return=minimal' },
  });

describe('possible duplicates at the console, in Chromium', () => {
  it('a coordinator opening someone again sees the pathway there is, and opens only by confirming a different person', async () => {
    const first = await openByApi(COORDINATOR, cyrillic);
    expect(first.statusCode, first.body).toBe(201);
    const { page } = await signIn(ui.browser, ui.baseUrl, COORDINATOR.id);
    await page.getByRole('link', { name: 'Open a pathway' }).click();
    await page.selectOption('#programme', 'KZ');
    await page.selectOption('#operation', 'Zhusan');
    await page.fill('#arrivalDate', ARRIVAL);
    await page.fill('#person-givenName', latin.givenName);
    await page.fill('#person-familyName', latin.familyName);
    await page.selectOption('#person-sex', 'female');
    await page.fill('#person-birthDate', latin.birthDate);
    await page.selectOption('#person-arrivedWith', 'adult');
    await page.getByRole('button', { name: 'Open the pathway' }).click();

    const warning = page.getByRole('alert').filter({ hasText: 'This person may already have a pathway.' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('Абдуллаева Айша');
    expect(await page.locator('#different-' + first.json().id).isChecked()).toBe(false);
    const confirm = page.getByRole('button', { name: 'Open: a different person' });
    expect(await confirm.isDisabled()).toBe(true);
    expect((await ui.stack.db.pool.query('select count(*)::int as n from pathways')).rows[0].n).toBe(1);
    await checkPage(page, 'coordinator-possible-duplicate');

    await page.getByLabel('A different person').check();
    await confirm.click();
    await page.getByRole('heading', { name: 'Stages' }).waitFor();
    const { rows } = await ui.stack.db.pool.query('select confirmed_by from duplicate_confirmations where different_from = $1', [first.json().id]);
    expect(rows).toEqual([{ confirmed_by: COORDINATOR.id }]);
  });

  it("another organisation's coordinator is told only that oversight knows; oversight sees both and decides", async () => {
    const theirs = await openByApi(ELSEWHERE, { ...cyrillic, givenName: 'Oysha' });
    expect(theirs.json()).toEqual({ id: expect.any(String), oversightTold: true });

    const { page } = await signIn(ui.browser, ui.baseUrl, 'supervisor.oversight');
    await page.getByRole('link', { name: /Possible duplicates across organisations waiting for review: \d/ }).click();
    await page.getByRole('heading', { name: 'Possible duplicates' }).waitFor();
    const row = page.locator('tbody tr').filter({ hasText: 'Абдуллаева Oysha' }).first();
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Абдуллаева Айша|Abdullayeva Aysha/);
    await checkPage(page, 'oversight-possible-duplicates');
    const before = await page.locator('tbody tr').count();
    await row.getByRole('button', { name: 'Same person' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(before - 1);
    const { rows } = await ui.stack.db.pool.query("select review_outcome, reviewed_by from duplicate_alerts where pathway_id = $1", [theirs.json().id]);
    // Her name matches both of the ministry's pathways: two alerts, one judged.
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.review_outcome === 'same-person').map((r) => r.reviewed_by)).toEqual(['supervisor.oversight']);
  });
});
