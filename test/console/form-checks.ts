import type { Page } from 'playwright-core';

/** What checking one step's form in one language found: `problems` is empty when nothing is wrong. */
export interface FormFinding {
  language: 'en' | 'ru';
  problems: string[];
  /** Whether the form has a field that can hold an invalid value, and one was tried. */
  invalid: boolean;
}

/** Selects whose options are data, not words of the console: codes, operation names, sign-in ids. */
const DATA_SELECTS = ['-programme', '-operation', '-phase', '-assignee', '-duplicateOf'];

/** Read in the page (typed there by the DOM, so `any` here): what the freshly opened form has chosen, ticked, enabled, and says. */
function readForm(form: any, dataSelects: string[]) {
  const dataSelect = (el: any) => Boolean(el) && dataSelects.some((suffix) => el.id.endsWith(suffix));
  const strip = (text: string) => text.replace(/\u2068[^\u2069]*\u2069/g, ' ');
  const words = [...form.querySelectorAll('label, legend, small, button, p, li, option')]
    .filter((el: any) => !(el.tagName === 'OPTION' && dataSelect(el.closest('select'))))
    .map((el: any) => {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('bdi').forEach((b: any) => b.remove());
      return strip(copy.textContent || '');
    });
  const required = [...form.querySelectorAll('label, legend')].some((el: any) => /\*\s*$/.test(el.textContent || ''));
  const submit = form.querySelector('button[type=submit]');
  return {
    selected: [...form.querySelectorAll('select')].filter((s: any) => s.value !== '').map((s: any) => `${s.id}=${s.value}`) as string[],
    ticked: [...form.querySelectorAll('input[type=radio], input[type=checkbox]')].filter((i: any) => i.checked).map((i: any) => i.id) as string[],
    required,
    submitDisabled: (submit ? submit.disabled : null) as boolean | null,
    text: form.innerText as string,
    words: words as string[],
  };
}

/** In the page: the message sits in the field of its control, and the control (or its group) names it as what describes it. */
function beside(el: any, fieldId: string): boolean {
  const field = el.closest('.field');
  const control = el.ownerDocument.getElementById(fieldId);
  const describer = control && (control.closest('[aria-describedby]') || control);
  return Boolean(field && control && field.contains(control)) && (describer.getAttribute('aria-describedby') || '').split(' ').includes(`${fieldId}-error`);
}

/** Which form of the page (routine steps or exceptions) offers `type`, if any. */
async function formOf(page: Page, type: string): Promise<string | undefined> {
  for (const prefix of ['action', 'exception']) {
    const values = await page.locator(`#${prefix}-type option`).evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    if (values.includes(type)) return prefix;
  }
  return undefined;
}

/**
 * Opens the form of `type` on the pathway page and checks it: nothing chosen or ticked, the button
 * disabled while a field is required, no field path, no untranslated key, no English in Russian;
 * then one field is given an invalid value and its message must show beside it, in the language.
 * Undefined when the page does not offer the step (the pathway moved on).
 */
export async function checkForm(page: Page, type: string, language: 'en' | 'ru'): Promise<FormFinding | undefined> {
  const prefix = await formOf(page, type);
  if (!prefix) return undefined;
  await page.selectOption(`#${prefix}-type`, type);
  const form = page.locator('.step-form', { has: page.locator(`#${prefix}-type`) }).locator('form');
  await form.waitFor();
  // Options that come from the API (colleagues, households, recorded steps) are in before it is read.
  await page.waitForLoadState('networkidle');
  const problems: string[] = [];
  const read = await form.evaluate(readForm, DATA_SELECTS);
  if (read.selected.length) problems.push(`chosen at the start: ${read.selected.join(', ')}`);
  if (read.ticked.length) problems.push(`ticked at the start: ${read.ticked.join(', ')}`);
  if (read.submitDisabled !== read.required) problems.push(`the button is ${read.submitDisabled ? 'disabled' : 'enabled'} on a form ${read.required ? 'with' : 'without'} required fields`);
  if (/\b(payload|body)\.[a-z]/i.test(read.text)) problems.push(`a field path is shown: ${read.text}`);
  if (/\b(field|value|action|pathway|stage|field-error|refusal)\.[a-z][A-Za-z-]*/.test(read.text)) problems.push(`a key is shown untranslated: ${read.text}`);
  if (language === 'ru') {
    const english = read.words.filter((text) => /[A-Za-z]{2,}/.test(text.replace(/\b(KZ|UZ|KG|TJ|ID)\b/g, '')));
    if (english.length) problems.push(`English in Russian: ${english.join(' | ')}`);
  }
  const invalid = await tryInvalid(page, form, language, problems);
  return { language, problems, invalid };
}

/** Gives one field a value that is not valid, and looks for its message beside it. False when no field can hold one. */
async function tryInvalid(page: Page, form: ReturnType<Page['locator']>, language: 'en' | 'ru', problems: string[]): Promise<boolean> {
  let id: string | undefined;
  const number = form.locator('input[type=number]').first();
  const select = form.locator('select[required]').first();
  const list = form.locator('fieldset:has(input[type=checkbox])').filter({ has: page.locator('legend', { hasText: /\*\s*$/ }) }).first();
  if (await number.count()) {
    id = (await number.getAttribute('id'))!;
    const max = await number.getAttribute('max');
    const min = await number.getAttribute('min');
    await number.fill(max !== null ? String(Number(max) + 1) : String(Number(min ?? 0) - 1));
  } else if (await select.count()) {
    id = (await select.getAttribute('id'))!;
    const options = await select.locator('option').evaluateAll((all) => all.map((o) => o.getAttribute('value') ?? '').filter(Boolean));
    if (!options.length) return false;
    await select.selectOption(options[0]!);
    await select.selectOption('');
  } else if (await list.count()) {
    const box = list.locator('input[type=checkbox]').first();
    await box.check();
    await box.uncheck();
    // The list is the fieldset, with the field's id; its boxes are named after it.
    id = (await list.getAttribute('id'))!;
  } else {
    return false;
  }
  const message = page.locator(`#${id}-error`);
  try {
    await message.waitFor({ timeout: 5_000 });
  } catch {
    problems.push(`no message beside ${id} after an invalid value`);
    return true;
  }
  const text = (await message.textContent()) ?? '';
  if (!text.trim()) problems.push(`an empty message beside ${id}`);
  if (language === 'ru' && !/[а-яё]/i.test(text)) problems.push(`the message beside ${id} is not in Russian: ${text}`);
  // Beside the field: in the same field, and named by the control (or its group) as what describes it.
  if (!(await message.evaluate(beside, id))) problems.push(`the message of ${id} is not beside it or not named by it`);
  const marked = await page.locator(`#${id}:is(input, select, textarea), #${id} input`).first().getAttribute('aria-invalid');
  if (marked !== 'true') problems.push(`${id} is not marked invalid`);
  return true;
}
