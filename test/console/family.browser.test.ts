import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, openPathway, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

/** Names of the form's people, as the family section shows them: family name first. */
const nameOf = (p: { familyName: string; givenName: string; patronymic?: string }) => [p.familyName, p.givenName, p.patronymic].filter(Boolean).join(' ');

describe('a family seen together, in Chromium', () => {
  const mother = person(33, ARRIVAL, { sex: 'female', givenName: 'Madinakhon', familyName: 'Karimovaya', patronymic: 'Rustamovna' });
  const children = [
    person(10, ARRIVAL, { sex: 'female', givenName: 'Zarinabonu', familyName: 'Karimovaya', patronymic: 'Alisherovna' }),
    person(7, ARRIVAL, { sex: 'male', givenName: 'Timurbek', familyName: 'Karimovaya', patronymic: 'Bakhtiyorovich' }),
    person(4, ARRIVAL, { sex: 'male', givenName: 'Yusufjon', familyName: 'Karimovaya', patronymic: 'Bakhtiyorovich' }),
  ];
  let ids: string[];

  beforeAll(async () => {
    const people = [mother, ...children].map((p) => ({ familyGroupId: 'K-7', person: p }));
    // Another family of the same arrival, which must not show.
    people.push({ familyGroupId: 'K-8', person: person(29, ARRIVAL, { sex: 'female', givenName: 'Safiyabonu', familyName: 'Saidovaya' }) });
    const response = await call(ui.app, ui.stack, ACTORS.coordinator, {
      method: 'POST',
      url: '/v1/cohorts',
      payload: { programme: 'KZ', operation: 'Zhusan', phase: '1', arrivalDate: ARRIVAL, people },
    });
    expect(response.statusCode).toBe(201);
    ids = response.json().pathways.map((p: { id: string }) => p.id);
  });

  it("a child's page shows its mother and siblings; a sibling's link leads to the sibling", async () => {
    const staff = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    const { page } = staff;
    await openPathway(staff, ids[2]!);
    const family = page.getByRole('region', { name: 'Family' });
    const rows = family.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toContain(nameOf(mother));
    expect(texts[0]).toContain('Mother');
    expect(texts[1]).toContain(nameOf(children[0]!));
    expect(texts[2]).toContain(nameOf(children[2]!));
    for (const row of texts.slice(1)) expect(row).toContain('Sibling');
    expect(texts.join('\n')).not.toContain('Saidovaya');
    await checkPage(page, 'staff-pathway-family');

    await family.getByRole('link', { name: nameOf(children[0]!) }).click();
    await page.waitForURL(`**/#/pathways/${ids[1]}`);
    await page.getByRole('heading', { name: nameOf(children[0]!) }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Family' }).locator('tbody tr').count()).toBe(3);

    // The whole group, in Russian, on a phone: nothing wider than the screen.
    await page.getByRole('link', { name: 'The whole family group' }).click();
    await page.getByRole('heading', { name: 'Family group K-7' }).waitFor();
    await page.selectOption('#language', 'ru');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Семейная группа K-7' }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(4);
    expect(await page.locator('tbody').innerText()).toContain('Мать');
    const widths = await page.evaluate<{ scroll: number; window: number }>('({ scroll: document.documentElement.scrollWidth, window: window.innerWidth })');
    expect(widths.scroll).toBeLessThanOrEqual(widths.window);
    await checkPage(page, 'staff-family-group-ru-390');
  });

  it("the coordinator's pathways list finds the cohort again by phase and arrival date, and a family by its group", async () => {
    const coordinator = await signIn(ui.browser, ui.baseUrl, 'coordinator.mlsp');
    const { page } = coordinator;
    await page.getByRole('heading', { name: 'Pathways' }).waitFor();
    await page.selectOption('#f-operation', 'Zhusan');
    await page.selectOption('#f-phase', '1');
    await page.fill('#f-arrival', ARRIVAL);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(5);
    await page.fill('#f-family', 'K-8');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    // The filters are in the address (a group's id, never a name), so Back and a bookmark find the list again.
    expect(new URL(page.url()).hash).toContain('familyGroup=K-8');
    await checkPage(page, 'coordinator-pathways-cohort-filters');
  });
});
