import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { pdfText } from '../helpers/pdf-text.js';
import { person } from '../helpers/people.js';
import { checkPage, signIn, useConsole, type ConsoleUser } from './console-driver.js';

const ui = useConsole();

const STAFF: Actor = { id: 'staff.mlsp', role: 'staff', org: 'mlsp' };
const NAME = 'Каримова Айгерим Рустамовна';
const REFERRAL = { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };

/** How often the access log has `what` for the pathway, by the staff member. */
async function logged(id: string, what: string): Promise<number> {
  const { rows } = await ui.stack.db.pool.query<{ n: number }>(
    'select count(*)::int as n from access_log where pathway_id = $1 and what = $2 and actor_id = $3',
    [id, what, STAFF.id],
  );
  return rows[0]!.n;
}

/** On paper: no header, navigation or button shows; the person and the pathway do. */
async function printsCleanly(page: Page, id: string, absent: string[]) {
  await page.emulateMedia({ media: 'print' });
  for (const selector of ['header', 'nav', 'button', '.no-print']) {
    const shown = await page.locator(selector).evaluateAll((els) => els.filter((el) => el.checkVisibility()).length);
    expect(shown, selector).toBe(0);
  }
  await page.emulateMedia({ media: null });
  // What Chromium prints (page.pdf uses the print stylesheet): the name and pathway, none of the console around them.
  const text = (await pdfText(await page.pdf({ format: 'A4' }))).join('\n');
  expect(text).toContain(NAME.split(' ')[0]);
  expect(text).toContain(id);
  for (const word of absent) expect(text).not.toContain(word);
  return text;
}

const dialogs = (page: Page) => page.evaluate<number>('window.printDialogs ?? 0');

/** Presses Print: the print is logged first (one entry), then the print dialog opens. */
async function print(page: Page, name: RegExp) {
  const before = await dialogs(page);
  const recorded = page.waitForResponse((r) => r.url().endsWith('/prints') && r.request().method() === 'POST');
  await page.getByRole('button', { name }).click();
  expect((await recorded).status()).toBe(200);
  await expect.poll(() => dialogs(page)).toBe(before + 1);
}

describe('a case summary and a referral letter on paper, in Chromium', () => {
  let id: string;
  let referral: string;
  let staff: ConsoleUser;

  beforeAll(async () => {
    id = await openOne(ui.stack, 'KZ', person(30, ARRIVAL, { givenName: 'Айгерим', familyName: 'Каримова', patronymic: 'Рустамовна', sex: 'female' }));
    const made = await call(ui.app, ui.stack, STAFF, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: 'referral.create', payload: REFERRAL } });
    expect(made.statusCode, made.body).toBe(200);
    referral = made.json().state.referrals.at(-1).id;
    staff = await signIn(ui.browser, ui.baseUrl, STAFF.id);
    // Headless Chromium keeps a page "being printed" once its dialog is asked for, and page.pdf()
    // then fails: the dialog is counted instead (the session survives the reload, as in a tab).
    await staff.page.addInitScript('window.print = () => { window.printDialogs = (window.printDialogs ?? 0) + 1; }');
    await staff.page.reload();
  });

  it('the summary in English: linked from the pathway, printed cleanly and logged, downloaded as a PDF and logged', async () => {
    const { page } = staff;
    await page.goto(`/#/pathways/${id}`);
    await page.getByRole('link', { name: 'Case summary (print or PDF)' }).click();
    await page.getByRole('heading', { name: `Case summary: ${NAME}` }).waitFor();
    await page.getByText('Open referrals').waitFor();
    await checkPage(page, 'print-summary-en');
    await printsCleanly(page, id, ['Print', 'Download PDF', 'Worklist', 'Sign out', 'Back to the pathway']);

    expect(await logged(id, 'print-summary')).toBe(0);
    await print(page, /^Print$/);
    expect(await logged(id, 'print-summary')).toBe(1);

    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download PDF' }).click();
    const file = await downloaded;
    expect(file.suggestedFilename()).toBe(`pathway-${id}.pdf`);
    const text = (await pdfText(await readFile((await file.path())!))).join('\n');
    expect(text).toContain(NAME);
    expect(text).toContain('Case summary');
    expect(await logged(id, 'download-summary')).toBe(1);
  });

  it('the summary in Russian: Russian on screen, on paper and in the PDF', async () => {
    const { page } = staff;
    await page.selectOption('#language', 'ru');
    await page.getByRole('heading', { name: `Сводка по делу: ${NAME}` }).waitFor();
    await checkPage(page, 'print-summary-ru');
    const printed = await printsCleanly(page, id, ['Печать', 'Скачать PDF', 'Выйти']);
    expect(printed).toContain('Психосоциальная поддержка');

    await print(page, /^Печать$/);
    expect(await logged(id, 'print-summary')).toBe(2);
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Скачать PDF' }).click();
    const text = (await pdfText(await readFile((await (await downloaded).path())!))).join('\n');
    expect(text).toContain(NAME);
    for (const words of ['Сводка по делу', 'Программа', 'Медицинское обследование', 'Центр правовой помощи «Право»']) expect(text).toContain(words);
    expect(await logged(id, 'download-summary')).toBe(2);
  });

  it('the referral letter in both languages: to the receiving organisation, nothing of the other stages, printed and logged', async () => {
    const { page } = staff;
    await page.goto(`/#/pathways/${id}`);
    await page.getByRole('link', { name: 'Письмо-направление: Психосоциальная поддержка → Центр правовой помощи «Право»' }).click();
    await page.getByRole('heading', { name: `Письмо-направление: ${NAME}` }).waitFor();
    await checkPage(page, 'print-letter-ru');
    const printed = await printsCleanly(page, id, ['Печать', 'Выйти', 'Медицинское обследование', 'Карантин']);
    expect(printed).toContain('Центр правовой помощи «Право»');
    expect(printed).toContain('Согласие');
    await print(page, /^Печать$/);
    expect(await logged(id, 'print-letter')).toBe(1);

    await page.selectOption('#language', 'en');
    await page.getByRole('heading', { name: `Referral letter: ${NAME}` }).waitFor();
    await checkPage(page, 'print-letter-en');
    const english = await printsCleanly(page, id, ['Print', 'Sign out', 'Medical', 'Quarantine']);
    expect(english).toContain('Pravo legal aid centre');
    await print(page, /^Print$/);
    expect(await logged(id, 'print-letter')).toBe(2);
    // Only prints and downloads were logged as such: reading the pages is logged as reads.
    expect(await logged(id, 'print-summary')).toBe(2);
    expect(referral).toBeTruthy();
  });
});
