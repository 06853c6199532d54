import type { Template } from '../domain/template.js';
import { INDICATORS, targetDays, type Indicator, type ProgrammeIndicators } from '../reports/indicators.js';
import type { buildStatistics, Cell as PublishedCell, Days, PublishedIndicator, StatisticsTable } from '../reports/published.js';
import type { ComputedExport } from './lists.js';
import type { Cell } from './write.js';

/**
 * The indicators and the statistics as files: computed in memory by the same functions as their
 * JSON routes (reports/compute.ts), a few rows per programme. Values stay codes and numbers.
 */

const INDICATOR_NAMES = Object.keys(INDICATORS) as Indicator[];
/** A share 0..1 to three decimals: 0.286, not 0.2857142857. */
const share = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

/** One row per programme × indicator; an indicator nobody in the programme is on counts 0 people, durations empty. */
export function indicatorsExport(programmes: readonly ProgrammeIndicators[], templates: ReadonlyMap<string, Template>): ComputedExport {
  return {
    list: 'indicators',
    columns: ['programme', 'indicator', 'people', 'reached', 'stillWaiting', 'medianDays', 'p90Days', 'targetDays', 'withinTarget'],
    rows: programmes.flatMap((p) =>
      INDICATOR_NAMES.map((indicator): Cell[] => {
        const e = p[indicator];
        if (!e) return [p.programme, indicator, 0, 0, 0, null, null, targetDays(templates.get(p.programme), INDICATORS[indicator]), null];
        return [p.programme, indicator, e.people, e.reached, e.stillWaiting, e.medianDays, e.p90Days, e.targetDays, share(e.withinTarget)];
      }),
    ),
  };
}

type Statistics = ReturnType<typeof buildStatistics>;
const COUNT_TABLES = ['people', 'placements', 'documents', 'enrolments', 'followUp'] as const;
const WAITING_COLUMNS = ['people', 'reached', 'stillWaiting', 'medianDays', 'p90Days', 'withinTarget'] as const;

/** A value, whether it is hidden, and a note (`not-reached`): a hidden value is always empty, never a number, and says no reason. */
type Shown = [value: number | null, hidden: boolean, note: string | null];
const count = (cell: PublishedCell): Shown => (cell.suppressed ? [null, true, null] : [cell.count, false, null]);
const days = (value: Days): Shown => (value === 'hidden' ? [null, true, null] : value === 'not-reached' ? [null, false, 'not-reached'] : [value, false, null]);

function countRows(name: string, table: StatisticsTable): Cell[][] {
  const line = (row: string, column: string, cell: PublishedCell | null | undefined): Cell[][] => (cell ? [[name, row, column, ...count(cell)]] : []);
  return [
    ...table.rows.flatMap((row, r) => [...table.columns.flatMap((column, c) => line(row, column, table.cells[r]?.[c])), ...line(row, 'total', table.rowTotals?.[r])]),
    ...table.columns.flatMap((column, c) => line('total', column, table.columnTotals?.[c])),
    ...line('total', 'total', table.total),
  ];
}

function waitingRows(programme: string, indicator: Indicator, p: PublishedIndicator): Cell[][] {
  const shown: Record<(typeof WAITING_COLUMNS)[number], Shown> = {
    people: count(p.people),
    reached: count(p.reached),
    stillWaiting: count(p.stillWaiting),
    medianDays: days(p.medianDays),
    p90Days: days(p.p90Days),
    withinTarget: p.withinTarget === null ? [null, p.targetDays !== null, null] : [p.withinTarget, false, null],
  };
  return WAITING_COLUMNS.map((column) => [`waiting-${indicator}`, programme, column, ...shown[column]]);
}

/**
 * One long table: each published cell a row (table, row, column, value, hidden, note), row and
 * column totals as `total` where published; then the waiting times per indicator as tables `waiting-<indicator>`.
 */
export function statisticsExport(statistics: Statistics): ComputedExport {
  return {
    list: 'statistics',
    columns: ['table', 'row', 'column', 'value', 'hidden', 'note'],
    rows: [
      ...COUNT_TABLES.flatMap((name) => countRows(name, statistics[name])),
      ...INDICATOR_NAMES.flatMap((indicator) => statistics.indicators.flatMap((row) => waitingRows(row.programme, indicator, row[indicator]))),
    ],
  };
}
