import { IntlMessageFormat } from 'intl-messageformat';

/**
 * Translations: one JSON file per language in web/locales, fetched when chosen. A key missing in
 * the chosen language falls back to English (a test fails on any missing key before that).
 * Texts are ICU MessageFormat: `{count, plural, one {# day} other {# days}}` gives each language
 * its own plural forms (Russian has one, few and many), numbers in the language's way.
 */
export type Messages = Record<string, string>;

let current: { code: string; messages: Messages; fallback: Messages } = { code: 'en', messages: {}, fallback: {} };
const cache = new Map<string, Messages>();

async function load(code: string): Promise<Messages> {
  const known = cache.get(code);
  if (known) return known;
  const response = await fetch(`/locales/${code}.json`);
  if (!response.ok) throw new Error(`language ${code} is not available`);
  const messages = (await response.json()) as Messages;
  cache.set(code, messages);
  return messages;
}

export async function chooseLanguage(code: string): Promise<void> {
  const [messages, fallback] = await Promise.all([load(code), load('en')]);
  current = { code, messages, fallback };
  document.documentElement.lang = code;
}

export const language = () => current.code;

/** Compiled texts, by language and key: a text is parsed once. */
const compiledTexts = new Map<string, IntlMessageFormat>();

function compiled(code: string, key: string, text: string): IntlMessageFormat {
  const id = `${code}\u0000${key}`;
  let format = compiledTexts.get(id);
  // `<` in a text is a character, not markup.
  if (!format) compiledTexts.set(id, (format = new IntlMessageFormat(text, code, undefined, { ignoreTag: true })));
  return format;
}

/** The text of `key` in the chosen language, its `{name}`, plural and select arguments filled in from `values`. */
export function t(key: string, values: Record<string, string | number> = {}): string {
  const own = current.messages[key];
  const text = own ?? current.fallback[key];
  if (text === undefined) return key;
  try {
    return String(compiled(own === undefined ? 'en' : current.code, key, text).format(values));
  } catch {
    // A value left out: the placeholder stays visible rather than the page failing.
    return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in values ? formatValue(values[name]!) : `{${name}}`));
  }
}

/** Whether the chosen language has a text for `key` (labels of optional things test this). */
export const has = (key: string) => key in current.messages || key in current.fallback;

const formatValue = (value: string | number) => (typeof value === 'number' ? formatNumber(value) : value);

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
export const englishMessages = () => current.fallback;
