import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { tell } from '../../web/src/sentences.js';
import { WEB_DIR } from '../console/bundle.js';

/** The languages a printed or downloaded summary is made in: those the console has, one file each in web/locales. */
export const PRINT_LANGUAGES = readdirSync(path.join(WEB_DIR, 'locales'))
  .filter((file) => /^[a-z]{2,3}\.json$/.test(file))
  .map((file) => file.slice(0, -'.json'.length))
  .sort() as [string, ...string[]];
export type PrintLanguage = string;

type Messages = Record<string, string>;
const loaded = new Map<string, Messages>();

/** The console's own texts (web/locales), so a PDF names stages, fields and values as the screen does. */
function messagesOf(code: string): Messages {
  let messages = loaded.get(code);
  if (!messages) {
    messages = JSON.parse(readFileSync(path.join(WEB_DIR, 'locales', `${code}.json`), 'utf8')) as Messages;
    loaded.set(code, messages);
  }
  return messages;
}

export interface Words {
  code: PrintLanguage;
  /** The text of `key` with its values (ICU MessageFormat); English when the language lacks it. */
  t(key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
  /** A date (YYYY-MM-DD or an ISO time) in the language's way; times in UTC, said so. */
  date(value: string | undefined, withTime?: boolean): string;
  /** A recorded value: a word of the domain translated, yes/no, a date, anything else as it is. */
  value(value: unknown): string;
  /** A sentence the pathway wrote (a note), told in the language as the console tells it. */
  sentence(text: string): string;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T|$)/;

export function wordsFor(code: PrintLanguage): Words {
  const messages = messagesOf(code);
  const english = messagesOf('en');
  const has = (key: string) => key in messages || key in english;
  // ICU MessageFormat, as the console formats them: plurals and numbers in the language's way.
  const t = (key: string, values: Record<string, string | number> = {}) => {
    const text = messages[key] ?? english[key];
    return text === undefined ? key : String(new IntlMessageFormat(text, code, undefined, { ignoreTag: true }).format(values));
  };
  const date = (value: string | undefined, withTime = false) => {
    if (!value) return '';
    const at = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(at.getTime())) return value;
    const format = new Intl.DateTimeFormat(code, { dateStyle: 'medium', timeZone: 'UTC', ...(withTime ? { timeStyle: 'short' } : {}) });
    return withTime ? `${format.format(at)} UTC` : format.format(at);
  };
  const value = (recorded: unknown): string => {
    if (typeof recorded === 'boolean') return t(recorded ? 'common.yes' : 'common.no');
    if (Array.isArray(recorded)) return recorded.map(value).join(', ');
    if (recorded !== null && typeof recorded === 'object') {
      return Object.entries(recorded).map(([name, v]) => `${has(`field.${name}`) ? t(`field.${name}`) : name}: ${value(v)}`).join('; ');
    }
    if (typeof recorded === 'string') {
      if (DATE.test(recorded)) return date(recorded, recorded.length > 10);
      return has(`value.${recorded}`) ? t(`value.${recorded}`) : sentence(recorded);
    }
    return String(recorded);
  };
  const sentence = (text: string) => tell({ english, t, has, formatDate: (v, withTime) => date(v, withTime) }, text);
  return { code, t, has, date, value, sentence };
}
