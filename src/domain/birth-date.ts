import { ageBandOf, ageOn, type AgeBand } from './model.js';

/** How much of a birth date is known: children without papers often have a year only. */
export type BirthDatePrecision = 'day' | 'month' | 'year';

export interface BirthDate {
  /** The day ages are computed from: mid-year for a year, mid-month for a month. */
  date: string;
  precision: BirthDatePrecision;
}

/**
 * A birth date as given: YYYY, YYYY-MM or YYYY-MM-DD. A partial date stands for mid-year or
 * mid-month, but never for a day after `notAfter` (the arrival) that its year or month includes.
 */
export function parseBirthDate(text: string, notAfter?: string): BirthDate {
  const partial = /^\d{4}$/.test(text) ? { date: `${text}-07-01`, precision: 'year' as const } : /^\d{4}-\d{2}$/.test(text) ? { date: `${text}-15`, precision: 'month' as const } : undefined;
  if (!partial) return { date: text, precision: 'day' };
  const within = notAfter !== undefined && notAfter.startsWith(text) && partial.date > notAfter;
  return within ? { ...partial, date: notAfter } : partial;
}

/** A birth date is estimated when the person says so or only its year or month is known. */
export function isEstimated(said: boolean | undefined, precision: BirthDatePrecision): boolean {
  return said === true || precision !== 'day';
}

/** The birth date as it is known, for showing: no more precise than what was given. */
export function formatBirthDate(date: string, precision: BirthDatePrecision): string {
  return precision === 'year' ? date.slice(0, 4) : precision === 'month' ? date.slice(0, 7) : date;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The first and last day a birth date may be, as precisely as it is known: any day of its year or
 * month, a year either side of an estimated day, or the day itself.
 */
export function birthRange(date: string, precision: BirthDatePrecision, estimated: boolean): [string, string] {
  const [year, month] = date.split('-').map(Number) as [number, number];
  if (precision === 'year') return [`${year}-01-01`, `${year}-12-31`];
  if (precision === 'month') return [isoDay(Date.UTC(year, month - 1, 1)), isoDay(Date.UTC(year, month, 0))];
  const day = Date.parse(`${date}T00:00:00Z`);
  return estimated ? [isoDay(day - 366 * DAY_MS), isoDay(day + 366 * DAY_MS)] : [date, date];
}
const CHILD_BANDS: AgeBand[] = ['0-2', '3-5', '6-11', '12-17'];

/**
 * When a child moves to the next age band, as days after arrival, to the first of the month:
 * the workflow learns the bands a child will pass through without ever holding a date of birth.
 */
export function childBandChanges(birth: string, arrivalDate: string): { afterDays: number; ageBand: AgeBand }[] {
  const arrival = Date.parse(`${arrivalDate}T00:00:00Z`);
  const [year, month] = birth.split('-').map(Number) as [number, number];
  const bandOnArrival = CHILD_BANDS.indexOf(ageBandOf(Math.max(0, ageOn(birth, arrivalDate))));
  const changes: { afterDays: number; ageBand: AgeBand }[] = [];
  for (const age of [3, 6, 12]) {
    const band = ageBandOf(age);
    // Every later band comes, even one whose month-rounded start falls before the arrival (then at once).
    if (CHILD_BANDS.indexOf(band) <= bandOnArrival) continue;
    const at = Date.UTC(year + age, month - 1, 1);
    changes.push({ afterDays: Math.max(0, Math.round((at - arrival) / DAY_MS)), ageBand: band });
  }
  return changes;
}
