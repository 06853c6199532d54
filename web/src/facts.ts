import { formatDate, has, label, t } from './i18n.js';
import { said } from './says.js';

/** A value as words: a word of the domain translated, a date in the user's way, an id or a number as it is. */
export function valueText(value: unknown, field?: string): string {
  if (Array.isArray(value)) return value.map((v) => valueText(v)).join(', ');
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  // A field of a field may have its own name there (a referral's `consent.by`: given by, not declined by).
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([name, v]) => factText(field && has(`field.${field}.${name}`) ? `${field}.${name}` : name, v)).join('; ');
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) return formatDate(value, value.length > 10);
    return has(`value.${value}`) ? label('value', value) : said(value);
  }
  return String(value);
}

/** A recorded fact (`field: value`), for a stage's details and an audit entry's outcome. */
export const factText = (name: string, value: unknown) => `${label('field', name)}: ${valueText(value, name)}`;
