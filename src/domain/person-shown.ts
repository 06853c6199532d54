import { z } from 'zod';
import { formatBirthDate, type BirthDatePrecision } from './birth-date.js';
import { ageOn } from './model.js';

/**
 * Who a pathway is for, as lists, search results and duplicate answers show it: enough to tell
 * people apart, nothing more. A hidden name (a person at risk) shows as initials everywhere but
 * the pathway's own page.
 */
export const ShownPerson = z.object({
  name: z.string().describe('Family name, given name and patronymic; initials when the name is hidden'),
  nameHidden: z.boolean(),
  birthDate: z.string().describe('As precise as it is known: YYYY-MM-DD, YYYY-MM or YYYY'),
  birthDateEstimated: z.boolean(),
  age: z.number().int().describe('Whole years today, from the birth date as known'),
});
export type ShownPerson = z.infer<typeof ShownPerson>;

/** A person's row as PostgreSQL gives it (the `people` table, dates as YYYY-MM-DD text). */
export interface PersonRow {
  given_name: string;
  family_name: string;
  patronymic: string | null;
  birth_date: string;
  birth_date_precision: BirthDatePrecision;
  birth_date_estimated: boolean;
  name_hidden: boolean;
}

/** The columns a query selects for `shownPerson`, from `people` as `alias`. */
export function personColumns(alias: string): string {
  return `${alias}.given_name, ${alias}.family_name, ${alias}.patronymic, to_char(${alias}.birth_date, 'YYYY-MM-DD') as birth_date,
          ${alias}.birth_date_precision, ${alias}.birth_date_estimated, ${alias}.name_hidden`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** "А. Н." for Айша Нурова: the first letter of each name, whatever its script. */
export function initialsOf(...names: (string | null | undefined)[]): string {
  return names
    .filter((name): name is string => !!name && name.trim() !== '')
    .map((name) => `${graphemes.segment(name.trim())[Symbol.iterator]().next().value?.segment ?? ''}.`)
    .join(' ');
}

/** The person as a list shows them; `reveal` for the pathway's own page only. */
export function shownPerson(row: PersonRow, options: { today: string; reveal?: boolean }): ShownPerson {
  const hidden = row.name_hidden && !options.reveal;
  return {
    name: hidden ? initialsOf(row.family_name, row.given_name) : [row.family_name, row.given_name, row.patronymic].filter(Boolean).join(' '),
    nameHidden: row.name_hidden,
    birthDate: formatBirthDate(row.birth_date, row.birth_date_precision),
    birthDateEstimated: row.birth_date_estimated || row.birth_date_precision !== 'day',
    age: Math.max(0, ageOn(row.birth_date, options.today)),
  };
}
