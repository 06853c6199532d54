/**
 * Dates as people type them. Russian-speaking users write the day first with dots (`31.12.2015`,
 * `12.2015` for a month); the API stores ISO (`2015-12-31`, `2015-12`). Only the order of the
 * parts changes here: whether the date is real is checked on the ISO form.
 */

/** `dd.mm.yyyy` (one or two digits for the day and month) or `mm.yyyy`. */
const DOTTED = /^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$/;

const twoDigits = (part: string) => part.padStart(2, '0');

/** The ISO form of a dotted date; any other text is returned as it is, for the schema to judge. */
export function isoFromTyped(text: string): string {
  const match = DOTTED.exec(text.trim());
  if (!match) return text;
  const [, day, month, year] = match as unknown as [string, string | undefined, string, string];
  return day === undefined ? `${year}-${twoDigits(month)}` : `${year}-${twoDigits(month)}-${twoDigits(day)}`;
}

/** A whole date: `YYYY-MM-DD` or `DD.MM.YYYY`. */
export const TYPED_DAY = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})$/;
/** A birth date as known: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `DD.MM.YYYY` or `MM.YYYY`. */
export const TYPED_BIRTH_DATE = /^(\d{4}(-\d{2}(-\d{2})?)?|(\d{1,2}\.)?\d{1,2}\.\d{4})$/;
