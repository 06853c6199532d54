import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_DIR } from '../../src/console/bundle.js';
import { domainMessageKeys, EVENT_TYPES, LocaleFile } from '../../src/console/message-keys.js';
import { ACTIONS } from '../../workflows/stages/index.js';
import { anatomy } from '../helpers/messages.js';

const UI_NAMESPACES = ['app', 'nav', 'common', 'error', 'signIn', 'open', 'cohort', 'field', 'value', 'pathway', 'list', 'worklist', 'history', 'reports', 'emergency', 'language', 'family', 'cohortFile', 'date', 'duplicate', 'person', 'hiddenName', 'search', 'mail', 'inbox', 'webhook'];

async function locales(): Promise<Map<string, Record<string, string>>> {
  const dir = path.join(WEB_DIR, 'locales');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json'));
  return new Map(await Promise.all(files.map(async (file) => [file, LocaleFile.parse(JSON.parse(await readFile(path.join(dir, file), 'utf8')))] as const)));
}

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return Promise.all(entries.filter((e) => e.isFile() && /\.tsx?$/.test(e.name)).map((e) => readFile(path.join(e.parentPath, e.name), 'utf8')));
}

/** Keys the console's code names literally: `t('nav.open')`, and `label('value', 'none')` as `value.none`. */
async function keysInCode(): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const text of await sources(path.join(WEB_DIR, 'src'))) {
    for (const [, key] of text.matchAll(/'([a-z][A-Za-z]*\.[A-Za-z0-9.-]+)'/g)) if (UI_NAMESPACES.includes(key!.split('.')[0]!)) keys.add(key!);
    for (const [, kind, name] of text.matchAll(/label\('([a-z]+)', '([^']+)'\)/g)) keys.add(`${kind}.${name}`);
  }
  return keys;
}

/** The arguments of an ICU text: `{count}`, and `{count, plural, …}` whatever its branches say. */
const placeholders = (text: string) => [...anatomy(text).args].sort();

describe('console languages', () => {
  it('English has every key the console and the domain need', async () => {
    const en = (await locales()).get('en.json')!;
    const needed = [...(await keysInCode()), ...domainMessageKeys()];
    expect(needed.filter((key) => !(key in en))).toEqual([]);
  });

  it('every language has exactly the keys of English, with the same placeholders', async () => {
    const all = await locales();
    const en = all.get('en.json')!;
    expect(all.size).toBeGreaterThanOrEqual(2);
    for (const [file, messages] of all) {
      expect({ file, missing: Object.keys(en).filter((key) => !(key in messages)) }).toEqual({ file, missing: [] });
      expect({ file, extra: Object.keys(messages).filter((key) => !(key in en)) }).toEqual({ file, extra: [] });
      for (const key of Object.keys(en)) expect({ file, key, placeholders: placeholders(messages[key]!) }).toEqual({ file, key, placeholders: placeholders(en[key]!) });
    }
  });

  it('Russian is a translation, not a copy of English', async () => {
    const all = await locales();
    const [en, ru] = [all.get('en.json')!, all.get('ru.json')!];
    // Codes and names written the same in both (KZ, DNA…) are few: most texts must differ.
    const same = Object.keys(en).filter((key) => en[key] === ru[key]);
    expect(same.length / Object.keys(en).length).toBeLessThan(0.05);
    expect(ru['language.name']).toBe('Русский');
  });

  it('the list of automatic events names every event the workflow records', async () => {
    const code = (await sources(path.resolve(WEB_DIR, '../workflows'))).join('\n');
    const recorded = new Set([...code.matchAll(/type: (?:\w+ \? )?'([a-z-]+\.[a-z-]+)'(?: : '([a-z-]+\.[a-z-]+)')?/g)].flatMap((m) => [m[1], m[2]]).filter(Boolean));
    const events = [...recorded].filter((type) => !ACTIONS.has(type as never));
    expect(events.filter((type) => !(EVENT_TYPES as readonly string[]).includes(type!))).toEqual([]);
  });

  it("has a template for every sentence the pathway writes as a blocker or a note, so Russian shows none in English", async () => {
    const en = (await locales()).get('en.json')!;
    const templates = Object.entries(en)
      .filter(([key]) => key.startsWith('says.'))
      .map(([, text]) => new RegExp(`^${text.split(/\{\w+\}/).map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+?')}$`));
    // The sentences: literals on the lines that write blockers, waits, gaps and notes; `${…}` parts stand for any value.
    const code = (await sources(path.resolve(WEB_DIR, '../workflows'))).join('\n');
    const lines = code.split('\n').filter((line) => /waitingFor|blockers\.push|waits\.push|gaps\.push|notes\.push|out\.push|note: |return \[['`]|\? \[['`]|: \[['`]/.test(line));
    const written = lines.flatMap((line) => [...line.matchAll(/'([a-z][^']* [^']*)'|`([a-z][^`]* [^`]*)`/g)].map((m) => (m[1] ?? m[2])!));
    expect(written.length).toBeGreaterThan(30);
    // A value at the very end may be an optional clause (" (until …)") that is sometimes empty.
    const variants = (sentence: string) => [sentence.replace(/\$\{[^}]*\}/g, 'X'), sentence.replace(/\$\{[^}]*\}$/, '').replace(/\$\{[^}]*\}/g, 'X')];
    const unknown = written.filter((sentence) => !variants(sentence).some((variant) => templates.some((template) => template.test(variant))));
    expect(unknown).toEqual([]);
  });
});
