import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { WEB_DIR } from '../../src/console/bundle.js';
import { formatMessage } from '../../web/src/message-format.js';

/** Every text of every language, parsed as the service sends it to the console. */
async function texts(): Promise<{ code: string; key: string; text: string; parsed: MessageFormatElement[] }[]> {
  const dir = path.join(WEB_DIR, 'locales');
  const files = (await readdir(dir)).filter((file) => /^[a-z]{2,3}\.json$/.test(file));
  const all = await Promise.all(
    files.map(async (file) => {
      const messages = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Record<string, string>;
      return Object.entries(messages).map(([key, text]) => ({ code: file.slice(0, -5), key, text, parsed: parse(text, { ignoreTag: true }) }));
    }),
  );
  return all.flat();
}

/** Values to try for each argument: each option of a select (and one it lacks), numbers across every plural form, a word otherwise. */
function samples(parsed: MessageFormatElement[], into = new Map<string, (string | number)[]>()) {
  for (const element of parsed) {
    if (element.type === TYPE.plural) into.set(element.value, [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 1.5, 1000, 12345]);
    else if (element.type === TYPE.select) into.set(element.value, [...Object.keys(element.options), 'something-else']);
    else if (element.type === TYPE.argument && !into.has(element.value)) into.set(element.value, ['Word', 7]);
    if ('options' in element) for (const option of Object.values(element.options)) samples(option.value, into);
  }
  return into;
}

const typesIn = (parsed: MessageFormatElement[]): number[] =>
  parsed.flatMap((element) => [element.type, ...('options' in element ? Object.values(element.options).flatMap((o) => typesIn(o.value)) : [])]);

describe("the console's message format", () => {
  it('meets only words, arguments, plurals, selects and # in our texts', async () => {
    const others = (await texts()).filter((t) => typesIn(t.parsed).some((type) => ![TYPE.literal, TYPE.argument, TYPE.select, TYPE.plural, TYPE.pound].includes(type)));
    expect(others.map((t) => `${t.code}:${t.key}`)).toEqual([]);
  });

  it('says every text of every language as intl-messageformat does, for values across every plural form and select option', async () => {
    let compared = 0;
    for (const { code, key, text, parsed } of await texts()) {
      const options = samples(parsed);
      const rounds = Math.max(1, ...[...options.values()].map((values) => values.length));
      const reference = new IntlMessageFormat(text, code, undefined, { ignoreTag: true });
      for (let round = 0; round < rounds; round++) {
        const values = Object.fromEntries([...options].map(([name, tried]) => [name, tried[round % tried.length]!]));
        expect({ code, key, values, text: formatMessage(parsed, code, values) }).toEqual({ code, key, values, text: String(reference.format(values)) });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('throws for a value left out, as intl-messageformat does, so the console can show its placeholder instead', () => {
    const parsed = parse('{count, plural, one {# day} other {# days}} for {name}', { ignoreTag: true });
    expect(() => formatMessage(parsed, 'en', { count: 2 })).toThrow(/name/);
    expect(formatMessage(parsed, 'ru', { count: 2, name: 'X' })).toBe('2 days for X');
  });
});
