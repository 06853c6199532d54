import { durationShown, protectList, protectTable, type DisclosureOptions, type PublishedTable } from './disclosure.js';
import { kaplanMeier, shareWithin, type Observation } from './survival.js';

/**
 * Statistics as they may leave the organisation: tables of counts with their labels, and waiting
 * times, each passed through disclosure control. The routes and the console page build on these.
 */

/** A table of counts of people with the categories of its rows and columns. */
export interface CountTable {
  rows: string[];
  columns: string[];
  counts: number[][];
}

export interface PublishedCountTable extends PublishedTable {
  rows: string[];
  columns: string[];
}

export function publishCounts(table: CountTable, options: DisclosureOptions = {}): PublishedCountTable {
  if (table.counts.length !== table.rows.length || table.counts.some((row) => row.length !== table.columns.length)) {
    throw new RangeError('a table needs one row of counts per row label and one count per column label');
  }
  return { rows: table.rows, columns: table.columns, ...protectTable(table.counts, options) };
}

/** The field report's Table 1: people per programme as men, women and children. */
export function caseloadTable(programmes: readonly { programme: string; men: number; women: number; children: number }[]): CountTable {
  return {
    rows: programmes.map((p) => p.programme),
    columns: ['men', 'women', 'children'],
    counts: programmes.map((p) => [p.men, p.women, p.children]),
  };
}

/** Days, or why there is no number: the curve never got there, or too few reached the event to show it. */
export type Days = number | 'not-reached' | 'hidden';

/** A waiting time (to placement, a document, school, ...) for one group, safe to publish. */
export interface WaitingIndicator {
  /** Counts of people, null where suppressed (they are a one-way table: reached + waiting = people). */
  people: number | null;
  reached: number | null;
  stillWaiting: number | null;
  median: Days;
  p90: Days;
  /** Share who reached the event within the target, 0..1; null when hidden or no target. */
  withinTarget: number | null;
  targetDays: number | null;
}

export function waitingIndicator(observations: readonly Observation[], targetDays: number | null, options: DisclosureOptions = {}): WaitingIndicator {
  const estimate = kaplanMeier(observations);
  const counts = protectList([estimate.events, estimate.censored], options);
  const show = durationShown({ events: estimate.events }, options).show;
  const days = (d: number | undefined): Days => (!show ? 'hidden' : d === undefined ? 'not-reached' : d);
  return {
    people: counts.total,
    reached: counts.cells[0]!,
    stillWaiting: counts.cells[1]!,
    median: days(estimate.median),
    p90: days(estimate.p90),
    withinTarget: show && targetDays !== null ? shareWithin(estimate, targetDays) : null,
    targetDays,
  };
}
