import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { handCounted, writeReportRows } from '../helpers/report-rows.js';
import { checkPage, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

/**
 * Kazakhstan: 14 people, 8 placed on days 10, 20, …, 80, 6 still waiting on day 100: the median
 * is day 70, the 90th percentile not reached, 4 of 14 within the 45-day target (29 %).
 * Uzbekistan: 14 people, 3 placed: too few for a published duration. One Kyrgyz child: a small cell.
 */
const OPTIONS = ['kinship', 'kinship', 'kinship', 'kinship', 'kinship', 'mother', 'mother', 'mother'];
const programme = (name: 'KG' | 'KZ' | 'UZ', men: number, women: number, children: number, placedDays: number[]) =>
  handCounted(name, men, women, children, placedDays, OPTIONS, (i) => ({ medical: { overdue: i % 2 === 0 } }));

beforeAll(async () => {
  await writeReportRows(ui.stack.db.pool, [...programme('KZ', 0, 8, 6, [10, 20, 30, 40, 50, 60, 70, 80]), ...programme('UZ', 0, 6, 8, [10, 20, 30]), ...programme('KG', 0, 0, 1, [])]);
});

const rowOf = (page: import('playwright-core').Page, caption: string, first: string) =>
  page.locator('table', { has: page.locator('caption', { hasText: caption }) }).locator('tbody tr', { has: page.locator('th', { hasText: first }) });

describe('the report pages, in Chromium', () => {
  it('shows outcome indicators as tables and curves per programme, the filters kept in the address', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Outcome indicators' }).click();
    await page.getByRole('heading', { name: 'Outcome indicators', level: 1 }).waitFor();

    const placement = rowOf(page, 'Time to placement, days from arrival', 'KZ');
    await placement.waitFor();
    // People, reached, still waiting, median, 90th percentile, target, within target.
    expect((await placement.locator('td').allInnerTexts()).map((text) => text.trim())).toEqual(['14', '8', '6', '70', 'not yet reached', '45', '29 %']);
    const curves = page.locator('figure', { hasText: 'Time to placement: share still waiting' });
    // One line per programme, named in the legend (Kyrgyzstan's one child waits: a flat line).
    expect(await curves.locator('path[data-curve]').evaluateAll((paths) => paths.map((p) => p.getAttribute('data-curve')))).toEqual(['KG', 'KZ', 'UZ']);
    expect(await curves.locator('.legend li').allInnerTexts()).toEqual(['KG', 'KZ', 'UZ']);
    expect(await rowOf(page, 'People in each stage now', 'KZ').filter({ hasText: 'Medical' }).locator('td').allInnerTexts()).toEqual(['Medical', '14', '7']);
    expect(await rowOf(page, 'The latest option chosen', 'KZ').filter({ hasText: 'Mother' }).locator('td').allInnerTexts()).toEqual(['Mother', '3', '3']);
    await checkPage(page, 'reports-indicators');

    // A filter goes to the address: a reload and Back bring it back.
    await page.selectOption('#i-programme', 'UZ');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/#\/reports\/indicators\?programme=UZ$/);
    // The rows shown before the filter go: Kazakhstan's first.
    await rowOf(page, 'Time to placement, days from arrival', 'KZ').waitFor({ state: 'detached' });
    await rowOf(page, 'Time to placement, days from arrival', 'UZ').waitFor();
    await page.reload();
    await rowOf(page, 'Time to placement, days from arrival', 'UZ').waitFor();
    expect(await page.locator('#i-programme').inputValue()).toBe('UZ');
    await page.fill('#i-from', new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Nobody arrived in this period with these filters.').first().waitFor();
    await page.goBack();
    await rowOf(page, 'Time to placement, days from arrival', 'UZ').waitFor();
    expect(await page.locator('#i-from').inputValue()).toBe('');
  });

  it('shows statistics safe to publish in Russian, each hidden number marked, never why', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    await page.selectOption('#language', 'ru');
    await page.goto(`${ui.baseUrl}/#/reports/statistics`);
    await page.getByRole('heading', { name: 'Статистика для публикации', level: 1 }).waitFor();
    const people = rowOf(page, 'Люди по программам', 'KG');
    await people.waitFor();
    // One Kyrgyz child is under the threshold: hidden, with no reason given, and more cells with it.
    expect(await people.locator('td').nth(2).innerText()).toBe('скрыто');
    expect(await page.locator('main .suppressed').count()).toBeGreaterThan(1);
    // So the outcome tables show no totals and nothing of the programmes hidden there, and say so.
    await page.getByText('В таблице людей пришлось скрыть часть программы', { exact: false }).waitFor();
    expect(await rowOf(page, 'Устроенные люди', 'KG').locator('td').allInnerTexts()).toEqual(Array(5).fill('скрыто'));
    await page.getByText('Статистика ни одной программы не открыта.', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Открыть' }).count()).toBe(0);
    await checkPage(page, 'reports-statistics-ru');

    // One programme at a time: Kazakhstan shows its waiting time, too few were placed in Uzbekistan.
    const waited = (programmeCode: string) => rowOf(page, 'Дней от прибытия', programmeCode).filter({ hasText: 'Время до устройства' }).locator('td');
    await page.selectOption('#s-programme', 'KZ');
    await page.getByRole('button', { name: 'Применить фильтр' }).click();
    await waited('KZ').first().waitFor();
    expect(await waited('KZ').nth(4).innerText()).toBe('70');
    await page.selectOption('#s-programme', 'UZ');
    await page.getByRole('button', { name: 'Применить фильтр' }).click();
    await waited('UZ').first().waitFor();
    expect(await waited('UZ').nth(4).innerText()).toBe('скрыто');
  });

  it('lets the oversight organisation publish a programme after a confirmation, and stop', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'supervisor.oversight');
    await page.goto(`${ui.baseUrl}/#/reports/statistics?programme=KZ`);
    await page.getByText('The statistics of KZ are not public.').waitFor();
    const publicAnswer = async () => (await page.request.get(`${ui.baseUrl}/public/statistics/KZ`)).status();
    expect(await publicAnswer()).toBe(404);
    await page.locator('.public-switch', { hasText: 'KZ' }).getByRole('button', { name: 'Make public' }).click();
    await page.getByRole('alertdialog').getByText('Anyone, without signing in, will be able to read the statistics of KZ', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Yes, make public' }).click();
    await page.getByText('The statistics of KZ are public, without sign-in:').waitFor();
    expect(await publicAnswer()).toBe(200);
    await checkPage(page, 'reports-statistics-public');
    await page.locator('.public-switch', { hasText: 'KZ' }).getByRole('button', { name: 'Stop publishing' }).click();
    await page.getByRole('button', { name: 'Yes, stop publishing' }).click();
    await page.getByText('The statistics of KZ are not public.').waitFor();
    expect(await publicAnswer()).toBe(404);
  });

  it('takes a report and the pathways list away as files, the list only with a reason, and lists both in the export log', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    await page.goto(`${ui.baseUrl}/#/reports`);
    await page.getByText('Export: Caseload').click();
    await page.selectOption('#x-caseload-format', 'csv,');
    const [report] = await Promise.all([page.waitForEvent('download'), page.locator('#x-caseload-format').locator('xpath=../..').getByRole('button', { name: 'Download' }).click()]);
    expect(report.suggestedFilename()).toMatch(/^caseload-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await report.path())!, 'utf8');
    // A byte order mark, so Excel reads Cyrillic; the separator chosen.
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('KZ,0,8,6,14');

    await page.goto(`${ui.baseUrl}/#/pathways?programme=KZ`);
    await page.getByText('Export this list').click();
    const download = page.locator('#x-pathways-format').locator('xpath=../..').getByRole('button', { name: 'Download' });
    // The list names people: no file until a reason is chosen.
    expect(await download.isDisabled()).toBe(true);
    await page.selectOption('#x-pathways-reason', 'audit');
    await page.fill('#x-pathways-note', 'Quarterly file check');
    const [list] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(list.suggestedFilename()).toMatch(/^pathways-.*\.csv$/);

    await page.goto(`${ui.baseUrl}/#/reports/exports`);
    await page.getByRole('heading', { name: 'Export log', level: 1 }).waitFor();
    const rows = page.locator('table', { has: page.locator('caption', { hasText: 'Exports, newest first' }) }).locator('tbody tr');
    await rows.first().waitFor();
    expect((await rows.nth(0).locator('td').allInnerTexts()).slice(1, 3)).toEqual(['Pathways (CSV)', 'Audit: Quarterly file check']);
    expect((await rows.nth(1).locator('td').allInnerTexts()).slice(1, 3)).toEqual(['Caseload (CSV)', 'Counts only: no reason needed']);
    await checkPage(page, 'reports-export-log');
  });
});
