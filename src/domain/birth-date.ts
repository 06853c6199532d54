import { ageBandOf, ageOn, type AgeBand } from './model.js';

/** How much of a birth date is known: children without papers often have a year only. */
export type BirthDatePrecision = 'day' | 'month' | 'year';

export interface BirthDate {
  /** The day ages are computed from: mid-year for a year, mid-month for a month. */
  date: string;
  precision: BirthDatePrecision;
}

/** A birth date as given: YYYY, YYYY-MM or YYYY-MM-DD. */
export function parseBirthDate(text: string): BirthDate {
  if (/^\d{4}$/.test(text)) return { date: `${text}-07-01`, precision: 'year' };
  if (/^\d{4}-\d{2}$/.test(text)) return { date: `${text}-15`, precision: 'month' };
  return { date: text, precision: 'day' };
}

/** The birth date as it is known, for showing: no more precise than what was given. */
export function formatBirthDate(date: string, precision: BirthDatePrecision): string {
  return precision === 'year' ? date.slice(0, 4) : precision === 'month' ? date.slice(0, 7) : date;
}

const DAY_MS = 86_400_000;

/**
 * When a child moves to the next age band, as days after arrival, to the first of the month:
 * the workflow learns the bands a child will pass through without ever holding a date of birth.
 */
export function childBandChanges(birth: string, arrivalDate: string): { afterDays: number; ageBand: AgeBand }[] {
  const arrival = Date.parse(`${arrivalDate}T00:00:00Z`);
  const [year, month] = birth.split('-').map(Number) as [number, number];
  const changes: { afterDays: number; ageBand: AgeBand }[] = [];
  for (const age of [3, 6, 12]) {
    const at = Date.UTC(year + age, month - 1, 1);
    const band = ageBandOf(age);
    if (at > arrival && band !== ageBandOf(Math.max(0, ageOn(birth, arrivalDate)))) {
      changes.push({ afterDays: Math.round((at - arrival) / DAY_MS), ageBand: band });
    }
  }
  return changes;
}
