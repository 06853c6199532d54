import { appendFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, inject, it } from 'vitest';
import { PERSONAL_VALUES_FILE } from '../helpers/people.js';
import { checkPage, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

const PEOPLE = [
  ['Абдуллаева', 'Зарина', 'Рустамовна', 'female', '14.05.1991'],
  ['Юсупов', 'Ильёс', 'Шухратович', 'male', '03.1987'],
  ['Щербакова', 'Эльвира', 'Юрьевна', 'female', '1979'],
];
appendFileSync(path.join(inject('dataDir'), PERSONAL_VALUES_FILE), `${[...PEOPLE.flatMap((p) => p.slice(0, 3)), 'Айгуль', 'Нурланова'].join('\n')}\n`);

/** What Russian Excel saves as "CSV (разделители — точки с запятой)": Windows-1251, semicolons, dates day first. */
const windows1251 = iconv.encode(
  ['familyName;givenName;patronymic;sex;birthDate;arrivedWith', ...PEOPLE.map((p) => [...p, 'adult'].join(';'))].join('\r\n'),
  'windows-1251',
);

describe('a cohort file in the console, in Chromium', () => {
  it('reads a Windows-1251 file with its names as written, says so, and opens the people', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'coordinator.mlsp');
    await page.getByRole('link', { name: 'Open a cohort' }).click();
    await page.selectOption('#programme', 'KZ');
    await page.setInputFiles('#csv', { name: 'прибытие.csv', mimeType: 'text/csv', buffer: windows1251 });
    await page.getByText('Read as Windows-1251: 3 people.').waitFor();
    const names = await page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(1, 4).map((cell) => cell.textContent)));
    expect(names).toEqual(PEOPLE.map(([family, given, , , birth]) => [family, given, birth]));
    // One more by hand, born on a day written as people write it.
    await page.getByText('Add a person by hand').click();
    await page.fill('#cohort-person-givenName', 'Айгуль');
    await page.fill('#cohort-person-familyName', 'Нурланова');
    await page.selectOption('#cohort-person-sex', 'female');
    expect(await page.locator('#cohort-person-birthDate-hint').textContent()).toMatch(/31\.12\.2015/);
    await page.fill('#cohort-person-birthDate', '07.11.1994');
    await page.selectOption('#cohort-person-arrivedWith', 'adult');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Every person can be opened (4).').waitFor();
    await checkPage(page, 'coordinator-cohort-file');

    await page.selectOption('#language', 'ru');
    await page.getByText('Прочитано в кодировке Windows-1251: людей — 3.').waitFor();
    expect(await page.locator('#cohort-person-birthDate-hint').textContent()).toMatch(/месяц \(12\.2015\)/);
    await checkPage(page, 'coordinator-cohort-file-ru');
    await page.selectOption('#language', 'en');

    await page.getByRole('button', { name: 'Open the pathways (4)' }).click();
    await page.getByText('Pathways opened: 4').waitFor();
    const { rows } = await ui.stack.db.pool.query<{ family_name: string; birth: string }>("select family_name, to_char(birth_date, 'YYYY-MM-DD') as birth from people");
    expect(rows.map((r) => r.family_name)).toEqual(expect.arrayContaining(PEOPLE.map((p) => p[0])));
    expect(rows.find((r) => r.family_name === 'Нурланова')?.birth).toBe('1994-11-07');
  });

  it('refuses a workbook or an image, saying what to do, in both languages', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'coordinator.mlsp');
    await page.getByRole('link', { name: 'Open a cohort' }).click();
    const xlsx = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200)]);
    await page.setInputFiles('#csv', { name: 'arrival.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    const alert = page.getByRole('alert').filter({ hasText: 'Excel workbook' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Save it from the spreadsheet as CSV/);
    expect(await page.locator('tbody tr').count()).toBe(0);

    await page.selectOption('#language', 'ru');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await page.setInputFiles('#csv', { name: 'фото.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('alert').filter({ hasText: 'Это изображение, а не файл CSV. Сохраните таблицу как CSV' }).waitFor();
    await checkPage(page, 'coordinator-cohort-file-refused-ru');
  });
});
