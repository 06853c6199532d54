import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nameKey, openNamePairPeople } from '../helpers/name-pair-people.js';
import { NAME_PAIRS, type MatchKind } from '../helpers/name-pairs.js';
import { checkPage, signIn, useConsole, type ConsoleUser } from './console-driver.js';

const ui = useConsole();
let ids = new Map<string, string>();
let staff: ConsoleUser;

/** How the results page says each kind of match, in English. */
const SAID: Record<MatchKind, string> = { exact: 'exact', variant: 'another spelling', partial: 'beginning', similar: 'similar, a letter or two differ' };

interface Row { id: string; why: string; name: string }

/** Types the query into the header's search box, presses Enter, and reads the results as shown. */
async function searchFor(page: Page, text: string): Promise<Row[]> {
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/people');
  await page.fill('#search-q', text);
  await page.press('#search-q', 'Enter');
  expect((await answered).status()).toBe(200);
  await page.locator('main p[role=status]').waitFor({ state: 'detached' });
  return page.locator('tr[data-pathway]').evaluateAll((rows) =>
    rows.map((row) => ({ id: row.getAttribute('data-pathway')!, why: row.querySelector('td.why')!.textContent!, name: row.querySelector('td')!.textContent! })),
  );
}

beforeAll(async () => {
  ids = await openNamePairPeople(ui.stack);
  staff = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
}, 120_000);

describe("the console's search box, driven by the name-pair table", () => {
  it.each(NAME_PAIRS.map((pair) => [`${pair.query} → ${nameKey(pair.stored)} (${pair.expect})`, pair] as const))('%s', async (_, pair) => {
    const rows = await searchFor(staff.page, pair.query);
    const position = rows.findIndex((row) => row.id === ids.get(nameKey(pair.stored)));
    if (pair.expect === 'found') {
      expect(position, 'found').toBeGreaterThanOrEqual(0);
      expect(rows[position]!.why).toContain(SAID[pair.how]);
      expect(rows[position]!.name).toContain(pair.stored.givenName);
    } else if (pair.expect === 'not-found') {
      expect(position, 'not found').toBe(-1);
    } else {
      const rival = rows.findIndex((row) => row.id === ids.get(nameKey(pair.rival)));
      expect(rival).toBeGreaterThanOrEqual(0);
      if (position >= 0) expect(position).toBeGreaterThan(rival);
    }
  });

  it('keeps the query out of the address and out of storage; the page works by keyboard, in Russian and 390 px wide', async () => {
    const { page } = staff;
    await searchFor(page, 'Aisha');
    expect(new URL(page.url()).hash).toBe('#/people');
    const stored = await page.evaluate<string>('JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })');
    expect(stored).not.toMatch(/aisha/i);
    await checkPage(page, 'search-results');
    await page.getByRole('link', { name: /Aisha/ }).first().click();
    await page.getByRole('heading', { name: 'Stages' }).waitFor();
    await page.goBack();
    await page.selectOption('#language', 'ru');
    await searchFor(page, 'Айша');
    await page.getByRole('heading', { name: 'Найти человека' }).waitFor();
    expect(await page.locator('td.why').first().textContent()).toMatch(/имя: (точно|другое написание)/);
    await checkPage(page, 'search-results-ru');
    await page.setViewportSize({ width: 390, height: 844 });
    await searchFor(page, 'Muhammad');
    // Nothing wider than the phone: the table scrolls inside itself.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await checkPage(page, 'search-results-phone');
  });
});
