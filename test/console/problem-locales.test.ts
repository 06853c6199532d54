import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { WEB_DIR } from '../../src/console/bundle.js';
import { FIELD_ERROR_CODES } from '../../src/domain/problem-codes.js';
import { REFUSAL_CODES } from '../../src/domain/refusal-codes.js';
import { ERRORS } from '../../src/errors.js';
import { anatomy } from '../helpers/messages.js';

/** Every text the console shows for a code the API can answer with: a field's fault, a refusal's own code, a problem's code. */
const CODE_KEYS = [
  ...FIELD_ERROR_CODES.map((code) => `fieldError.${code}`),
  ...REFUSAL_CODES.map((code) => `refusalWhy.${code}`),
  ...Object.keys(ERRORS).map((code) => `error.${code}`),
];
/** Latin words a Russian text may keep: the product's name. */
const KEPT = new Set(['Pathways']);

async function locales(): Promise<Map<string, Record<string, string>>> {
  const dir = path.join(WEB_DIR, 'locales');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json'));
  return new Map(await Promise.all(files.map(async (file) => [file.slice(0, -5), JSON.parse(await readFile(path.join(dir, file), 'utf8'))] as const)));
}

describe('messages of the API codes, in every language', () => {
  it('has a text for every code the server can produce, in each language', async () => {
    for (const [language, messages] of await locales()) {
      expect({ language, missing: CODE_KEYS.filter((key) => !messages[key]?.trim()) }).toEqual({ language, missing: [] });
    }
  });

  it('writes every text as ICU MessageFormat, with the arguments of the English one', async () => {
    const all = await locales();
    const en = all.get('en')!;
    for (const [language, messages] of all) {
      for (const [key, text] of Object.entries(messages)) {
        const { args } = anatomy(text);
        if (en[key] !== undefined) expect({ language, key, args: [...args].sort() }).toEqual({ language, key, args: [...anatomy(en[key]!).args].sort() });
      }
    }
  });

  it('says every code in Russian: no English words left in its text', async () => {
    const ru = (await locales()).get('ru')!;
    const english = CODE_KEYS.flatMap((key) => {
      const latin = (anatomy(ru[key] ?? '').words.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !KEPT.has(word));
      return latin.length ? [{ key, latin }] : [];
    });
    expect(english).toEqual([]);
  });

  it('counts in Russian with its three plural forms, through the message format', async () => {
    const ru = (await locales()).get('ru')!;
    const format = (key: string, values: Record<string, number>) => String(new IntlMessageFormat(ru[key]!, 'ru').format(values));
    expect([1, 3, 5, 21].map((days) => format('common.days', { days }))).toEqual(['1 день', '3 дня', '5 дней', '21 день']);
    expect([1, 2, 12].map((min) => format('fieldError.too-short', { min }))).toEqual([
      'Напишите не меньше 1 символа.',
      'Напишите не меньше 2 символов.',
      'Напишите не меньше 12 символов.',
    ]);
    expect(format('history.accessLog', { count: 1500 })).toBe('Журнал доступа: 1\u00a0500 просмотров');
  });
});
