import { IntlMessageFormat } from 'intl-messageformat';
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/**
 * Translations: one JSON file per language in web/locales, fetched when chosen. A key missing in
 * the chosen language falls back to English (a test fails on any missing key before that).
 * Texts are ICU MessageFormat: `{count, plural, one {# day} other {# days}}` gives each language
 * its own plural forms (Russian has one, few and many), numbers in the language's way. The
 * service sends them parsed (src/console/bundle.ts), so the console carries no parser.
 */
type Parsed = Record<string, MessageFormatElement[]>;
interface Language {
  messages: Parsed;
  /** The `says.*` templates as written: what the pathway's own sentences are matched against. */
  sentences: Record<string, string>;
}

let current: { code: string; own: Language; fallback: Language } = { code: 'en', own: { messages: {}, sentences: {} }, fallback: { messages: {}, sentences: {} } };
const cache = new Map<string, Language>();

async function load(code: string): Promise<Language> {
  const known = cache.get(code);
  if (known) return known;
  const response = await fetch(`/locales/${code}.json`);
  if (!response.ok) throw new Error(`language ${code} is not available`);
  const loaded = (await response.json()) as Language;
  cache.set(code, loaded);
  return loaded;
}

export async function chooseLanguage(code: string): Promise<void> {
  const [own, fallback] = await Promise.all([load(code), load('en')]);
  current = { code, own, fallback };
  document.documentElement.lang = code;
}

export const language = () => current.code;

/** Compiled texts, by language and key: a text is compiled once. */
const compiledTexts = new Map<string, IntlMessageFormat>();

function compiled(code: string, key: string, text: MessageFormatElement[]): IntlMessageFormat {
  const id = `${code}\u0000${key}`;
  let format = compiledTexts.get(id);
  if (!format) compiledTexts.set(id, (format = new IntlMessageFormat(text, code, undefined, { ignoreTag: true })));
  return format;
}

/** The names a text's top-level arguments take. */
const argumentsOf = (text: MessageFormatElement[]) => text.flatMap((part) => ('value' in part && part.type !== 0 ? [String(part.value)] : []));

/** The text of `key` in the chosen language, its `{name}`, plural and select arguments filled in from `values`. */
export function t(key: string, values: Record<string, string | number> = {}): string {
  const own = current.own.messages[key];
  const text = own ?? current.fallback.messages[key];
  if (text === undefined) return key;
  const format = compiled(own === undefined ? 'en' : current.code, key, text);
  try {
    return String(format.format(values));
  } catch {
    // A value left out: its placeholder stays visible rather than the page failing.
    const shown = Object.fromEntries(argumentsOf(text).map((name) => [name, name in values ? values[name]! : `{${name}}`]));
    try {
      return String(format.format(shown));
    } catch {
      return key;
    }
  }
}

/** Whether the chosen language has a text for `key` (labels of optional things test this). */
export const has = (key: string) => key in current.own.messages || key in current.fallback.messages;

export const formatNumber = (value: number, digits = 0) =>
  new Intl.NumberFormat(current.code, { maximumFractionDigits: digits }).format(value);

/** A date (YYYY-MM-DD, or an ISO time) in the chosen language's way. */
export function formatDate(value: string | undefined | null, withTime = false): string {
  if (!value) return '';
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(current.code, {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : { timeZone: value.length === 10 ? 'UTC' : undefined }),
  }).format(date);
}

/** Labels of the domain's words: a stage, an action, a field, a value, a role, a status. */
export const label = (kind: 'stage' | 'action' | 'field' | 'value' | 'role' | 'status' | 'refusal', name: string) => t(`${kind}.${name}`);

/** The English texts: what the server's own sentences are matched against (says.ts). */
export const englishMessages = () => current.fallback.sentences;
