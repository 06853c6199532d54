import { PlacementOption } from '../domain/model.js';
import type { Template } from '../domain/template.js';
import { durationShown, protectList, type Mark } from './disclosure.js';
import { expand, INDICATORS, targetDays, type Indicator, type ObservationCount } from './indicators.js';
import { caseloadTable, publishCounts, type CountTable } from './statistics.js';
import { kaplanMeier, shareWithin } from './survival.js';

/**
 * Statistics a ministry could publish: every count and duration through disclosure control, each
 * cell saying whether it is hidden and why, so a reader never mistakes a hidden cell for a zero.
 */

/** One published count: hidden (null) when small, or when it would give a small one away. */
export interface Cell {
  count: number | null;
  suppressed: boolean;
  why: 'small' | 'protects-another' | null;
}

export interface StatisticsTable {
  rows: string[];
  columns: string[];
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
}

export type Days = number | 'not-reached' | 'hidden';

export interface PublishedIndicator {
  people: Cell;
  reached: Cell;
  stillWaiting: Cell;
  /** False when fewer than the threshold reached the event: each step of the curve would be one person's day. */
  durationShown: boolean;
  medianDays: Days;
  p90Days: Days;
  targetDays: number | null;
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
  'Durations (Kaplan–Meier median, 90th percentile, share within the target, days from arrival; people still waiting counted as waiting) ' +
  'are shown only for groups in which at least threshold people reached the event.';

const cell = (count: number | null, mark: Mark): Cell => ({ count, suppressed: mark !== 'shown', why: mark === 'primary' ? 'small' : mark === 'secondary' ? 'protects-another' : null });

export function publishTable(table: CountTable, threshold: number): StatisticsTable {
  if (table.rows.length === 0 || table.columns.length === 0) {
    return { rows: table.rows, columns: table.columns, cells: table.rows.map(() => []), rowTotals: [], columnTotals: [], total: cell(0, 'shown') };
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

export function publishIndicator(rows: readonly ObservationCount[], target: number | null, threshold: number): PublishedIndicator {
  const estimate = kaplanMeier(expand(rows));
  const counts = protectList([estimate.events, estimate.censored], { threshold });
  const show = durationShown({ events: estimate.events }, { threshold }).show;
  const days = (d: number | undefined): Days => (!show ? 'hidden' : d ?? 'not-reached');
  return {
    people: cell(counts.total, counts.marks.total),
    reached: cell(counts.cells[0]!, counts.marks.cells[0]!),
    stillWaiting: cell(counts.cells[1]!, counts.marks.cells[1]!),
    durationShown: show,
    medianDays: days(estimate.median),
    p90Days: days(estimate.p90),
    targetDays: target,
    withinTarget: show && target !== null ? shareWithin(estimate, target) : null,
  };
}

/** Reached or not yet, per programme, for one indicator: enrolments, documents. */
function reachedTable(programmes: string[], observations: readonly ObservationCount[], indicator: Indicator, columns: [string, string]): CountTable {
  const count = (programme: string, event: boolean) =>
    observations.filter((o) => o.programme === programme && o.indicator === indicator && o.event === event).reduce((n, o) => n + o.people, 0);
  return { rows: programmes, columns, counts: programmes.map((p) => [count(p, true), count(p, false)]) };
}

export function buildStatistics(input: StatisticsInput) {
  const { threshold, observations } = input;
  const programmes = input.people.map((p) => p.programme);
  // Only the options some listed programme offers: a column no one could be in says nothing.
  const offered = PlacementOption.options.filter((o) => programmes.some((p) => input.templates.get(p)?.stages.find((s) => s.stage === 'placement')?.options?.includes(o)));
  const placed = (programme: string, option: string) => input.placements.find((r) => r.programme === programme && r.option === option)?.placed ?? 0;
  return {
    threshold,
    method: STATISTICS_METHOD,
    people: publishTable(caseloadTable(input.people), threshold),
    placements: publishTable({ rows: programmes, columns: offered, counts: programmes.map((p) => offered.map((o) => placed(p, o))) }, threshold),
    enrolments: publishTable(reachedTable(programmes, observations, 'school', ['enrolled', 'notYet']), threshold),
    documents: publishTable(reachedTable(programmes, observations, 'document', ['documented', 'notYet']), threshold),
    indicators: programmes.map((programme) => ({
      programme,
      ...(Object.fromEntries(
        (Object.entries(INDICATORS) as [Indicator, string][]).map(([indicator, stage]) => [
          indicator,
          publishIndicator(observations.filter((o) => o.programme === programme && o.indicator === indicator), targetDays(input.templates.get(programme), stage), threshold),
        ]),
      ) as Record<Indicator, PublishedIndicator>),
    })),
  };
}
