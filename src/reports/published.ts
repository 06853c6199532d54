import type { Template } from '../domain/template.js';
import { PlacementOption } from '../domain/model.js';
import { durationShown, protectTable, type Mark } from './disclosure.js';
import { expand, INDICATORS, shareWithinTarget, targetDays, type Indicator, type ObservationCount } from './indicators.js';
import { caseloadTable, publishCounts, type CountTable } from './statistics.js';
import { kaplanMeier } from './survival.js';

/**
 * Statistics a ministry could publish: every count and duration through disclosure control. A
 * hidden cell says it is hidden, never why: knowing that a hidden count is the small one would
 * narrow it to 1..threshold-1, which is what hiding it prevents.
 *
 * The tables are linked: an indicator's people are Table 1's people, the placed by option add up
 * to the placed. So each indicator is one table (its outcomes and "not yet" as columns, the placed
 * split by option), its waiting times reuse that table's cells, and when Table 1 had to hide
 * anything, the indicator tables publish no totals and nothing of the programmes hidden there.
 */

/** One published count: null when hidden. */
export interface Cell {
  count: number | null;
  suppressed: boolean;
}

export interface StatisticsTable {
  rows: string[];
  columns: string[];
  cells: Cell[][];
  /** null: not published (an indicator table beside a Table 1 that hides something). */
  rowTotals: Cell[] | null;
  columnTotals: Cell[] | null;
  total: Cell | null;
}

export type Days = number | 'not-reached' | 'hidden';

export interface PublishedIndicator {
  people: Cell;
  reached: Cell;
  stillWaiting: Cell;
  /** False unless the number who reached the event is shown and at least the threshold. */
  durationShown: boolean;
  medianDays: Days;
  p90Days: Days;
  targetDays: number | null;
  /** Share within the target, to the percent; null when it would tell more than the counts shown. */
  withinTarget: number | null;
}

export interface StatisticsInput {
  people: { programme: string; men: number; women: number; children: number }[];
  placements: { programme: string; option: string; placed: number }[];
  observations: ObservationCount[];
  templates: ReadonlyMap<string, Template>;
  threshold: number;
}

export const STATISTICS_METHOD =
  'Counts of people from 1 to threshold − 1 are hidden (primary suppression), totals included; zeros are shown. ' +
  'More cells are hidden where a hidden count could be worked out from the totals and the other cells (complementary suppression), ' +
  'until every small hidden count could be anything within a range at least threshold wide, and every other hidden count has more than one possible value. ' +
  'A hidden cell does not say why. Each indicator is one table (reached, by option for placement, and not yet); when the people table hides anything, ' +
  'the indicator tables show no totals and nothing of the programmes hidden there. ' +
  'Durations (Kaplan–Meier median, 90th percentile, days from arrival; people still waiting counted as waiting) are shown only where the number who reached the event is shown and at least threshold; ' +
  'the share within the target only where it tells no count under threshold.';

const cell = (count: number | null, mark: Mark): Cell => (mark === 'shown' ? { count, suppressed: false } : { count: null, suppressed: true });
const HIDDEN: Cell = { count: null, suppressed: true };

/** A table with its totals, every entry protected. */
export function publishTable(table: CountTable, threshold: number): StatisticsTable {
  if (table.rows.length === 0 || table.columns.length === 0) {
    return { rows: table.rows, columns: table.columns, cells: table.rows.map(() => []), rowTotals: [], columnTotals: [], total: { count: 0, suppressed: false } };
  }
  const p = publishCounts(table, { threshold });
  return {
    rows: p.rows,
    columns: p.columns,
    cells: p.cells.map((row, r) => row.map((value, c) => cell(value, p.marks.cells[r]![c]!))),
    rowTotals: p.rowTotals.map((value, r) => cell(value, p.marks.rowTotals[r]!)),
    columnTotals: p.columnTotals.map((value, c) => cell(value, p.marks.columnTotals[c]!)),
    total: cell(p.total, p.marks.total),
  };
}

/**
 * A table published without its totals and without the rows withheld: the rest is protected as if
 * every total were known (a reader may know them from Table 1), which hides at least as much.
 */
export function publishWithout(table: CountTable, withheld: ReadonlySet<string>, threshold: number): StatisticsTable {
  const kept = table.rows.map((_, r) => r).filter((r) => !withheld.has(table.rows[r]!));
  const cells: Cell[][] = table.rows.map(() => table.columns.map(() => HIDDEN));
  if (kept.length && table.columns.length) {
    const p = protectTable(kept.map((r) => table.counts[r]!), { threshold });
    kept.forEach((r, k) => (cells[r] = p.cells[k]!.map((value, c) => cell(value, p.marks.cells[k]![c]!))));
  }
  return { rows: table.rows, columns: table.columns, cells, rowTotals: null, columnTotals: null, total: null };
}

/** Programmes with anything hidden in the people table (a cell or their total). */
function hiddenIn(people: StatisticsTable): Set<string> {
  return new Set(people.rows.filter((_, r) => people.cells[r]!.some((c) => c.suppressed) || people.rowTotals?.[r]?.suppressed));
}

const observed = (observations: readonly ObservationCount[], programme: string, indicator: Indicator, event: boolean) =>
  observations.filter((o) => o.programme === programme && o.indicator === indicator && o.event === event).reduce((n, o) => n + o.people, 0);

/** Each indicator's table: the reached (for placement, by option) and those not yet, per programme. */
function indicatorTables(input: StatisticsInput, programmes: string[]): Record<Indicator, CountTable> {
  const { observations } = input;
  // Only options some listed programme offers: a column no one could be in says nothing.
  const offered = PlacementOption.options.filter((o) => programmes.some((p) => input.templates.get(p)?.stages.find((s) => s.stage === 'placement')?.options?.includes(o)));
  const placed = (programme: string, option: string) => input.placements.find((r) => r.programme === programme && r.option === option)?.placed ?? 0;
  // Placed with no option on record: counted, so the columns add up to the people on the clock.
  const unrecorded = (programme: string) => Math.max(0, observed(observations, programme, 'placement', true) - offered.reduce((n, o) => n + placed(programme, o), 0));
  const withUnrecorded = programmes.some((p) => unrecorded(p) > 0);
  const reachedTable = (indicator: Indicator, column: string): CountTable => ({
    rows: programmes,
    columns: [column, 'notYet'],
    counts: programmes.map((p) => [observed(observations, p, indicator, true), observed(observations, p, indicator, false)]),
  });
  return {
    placement: {
      rows: programmes,
      columns: [...offered, ...(withUnrecorded ? ['unrecorded'] : []), 'notYet'],
      counts: programmes.map((p) => [...offered.map((o) => placed(p, o)), ...(withUnrecorded ? [unrecorded(p)] : []), observed(observations, p, 'placement', false)]),
    },
    document: reachedTable('document', 'documented'),
    school: reachedTable('school', 'enrolled'),
    followUpEnded: reachedTable('followUpEnded', 'ended'),
  };
}

/** One programme's waiting time, its counts the cells of its indicator's table. */
function publishWaiting(rows: readonly ObservationCount[], table: StatisticsTable, r: number, target: number | null, threshold: number): PublishedIndicator {
  const line = table.cells[r]!;
  const outcomes = line.slice(0, -1);
  const stillWaiting = line.at(-1)!;
  const total = table.rowTotals?.[r];
  // Reached is the outcomes' sum: shown when they all are, or when the total and those not yet are (then anyone can subtract).
  const reached: Cell = outcomes.every((c) => !c.suppressed)
    ? { count: outcomes.reduce((n, c) => n + c.count!, 0), suppressed: false }
    : total && !total.suppressed && !stillWaiting.suppressed ? { count: total.count! - stillWaiting.count!, suppressed: false } : HIDDEN;
  const people: Cell = total ?? (!reached.suppressed && !stillWaiting.suppressed ? { count: reached.count! + stillWaiting.count!, suppressed: false } : HIDDEN);
  const estimate = kaplanMeier(expand(rows));
  const show = !reached.suppressed && durationShown({ events: reached.count! }, { threshold }).show;
  const days = (d: number | undefined): Days => (!show ? 'hidden' : d ?? 'not-reached');
  return {
    people,
    reached,
    stillWaiting,
    durationShown: show,
    medianDays: days(estimate.median),
    p90Days: days(estimate.p90),
    targetDays: target,
    withinTarget: show ? safeShare(shareWithinTarget(rows, target), threshold) : null,
  };
}

/** A share to the percent, unless the people within (or past) the target it implies are a small count. */
function safeShare(estimate: { share: number; people: number } | null, threshold: number): number | null {
  if (!estimate) return null;
  const { share, people } = estimate;
  const within = Math.round(share * people);
  const small = (n: number) => n > 0 && n < threshold;
  return small(within) || small(people - within) ? null : Math.round(share * 100) / 100;
}

export function buildStatistics(input: StatisticsInput) {
  const { threshold, observations } = input;
  const programmes = input.people.map((p) => p.programme);
  const people = publishTable(caseloadTable(input.people), threshold);
  const withheld = hiddenIn(people);
  const anyHidden = withheld.size > 0 || !!people.columnTotals?.some((c) => c.suppressed) || !!people.total?.suppressed;
  const counts = indicatorTables(input, programmes);
  const publish = (table: CountTable) => (anyHidden ? publishWithout(table, withheld, threshold) : publishTable(table, threshold));
  const tables = Object.fromEntries((Object.keys(INDICATORS) as Indicator[]).map((i) => [i, publish(counts[i])])) as Record<Indicator, StatisticsTable>;
  return {
    threshold,
    method: STATISTICS_METHOD,
    people,
    placements: tables.placement,
    documents: tables.document,
    enrolments: tables.school,
    followUp: tables.followUpEnded,
    indicators: programmes.map((programme, r) => ({
      programme,
      ...(Object.fromEntries(
        (Object.entries(INDICATORS) as [Indicator, string][]).map(([indicator, stage]) => [
          indicator,
          publishWaiting(observations.filter((o) => o.programme === programme && o.indicator === indicator), tables[indicator], r, targetDays(input.templates.get(programme), stage), threshold),
        ]),
      ) as Record<Indicator, PublishedIndicator>),
    })),
  };
}
