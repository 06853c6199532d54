import { rangeOf, sum, withTotals } from './disclosure-ranges.js';

/**
 * Statistical disclosure control for counts of people that a ministry or a donor may publish.
 *
 * A count between 1 and threshold - 1 can point at a person ("the one woman from that district
 * in the programme"), so it is suppressed (primary suppression). A zero is shown: it describes no
 * one, hiding it would hide most of what a small programme has to report, and the remaining risk
 * of a zero ("no child of this group went to school") is about a group, which the threshold on
 * the group's own total already covers. Totals are counts of people too, so a small total is
 * suppressed like a cell.
 *
 * A suppressed count must not come back from the rest of the table (complementary suppression):
 * every line with a suppressed entry gets a second one, the smallest cells first, and then each
 * suppressed entry is checked exactly (see disclosure-ranges.ts) until the published table leaves
 * every primary count anywhere within an interval at least `threshold` wide (so it may as well be
 * threshold or more), and every other suppressed count more than one possible value.
 */

export const DEFAULT_THRESHOLD = 5;

/** Why an entry is hidden: its own count is small, or it protects another one. */
export type Mark = 'shown' | 'primary' | 'secondary';

export interface DisclosureOptions {
  /** Counts from 1 to threshold - 1 are suppressed; default 5. */
  threshold?: number;
}

export interface PublishedTable {
  threshold: number;
  /** Rows of cells; null where suppressed. */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
  marks: { cells: Mark[][]; rowTotals: Mark[]; columnTotals: Mark[]; total: Mark };
}

export interface PublishedList {
  threshold: number;
  cells: (number | null)[];
  total: number | null;
  marks: { cells: Mark[]; total: Mark };
}

/** Protects a two-way table of counts (rows × columns, at least 1 × 1) with its row, column and grand totals. */
export function protectTable(counts: readonly (readonly number[])[], options: DisclosureOptions = {}): PublishedTable {
  const threshold = checkThreshold(options.threshold ?? DEFAULT_THRESHOLD);
  checkCounts(counts);
  const grid = withTotals(counts);
  const marks: Mark[][] = grid.map((row) => row.map((v) => (isSmall(v, threshold) ? 'primary' : 'shown')));
  for (;;) {
    pairLines(grid, marks);
    const exposed = firstExposed(grid, marks, threshold);
    if (!exposed) break;
    marks[exposed[0]]![exposed[1]] = 'secondary';
  }
  const rows = counts.length;
  const columns = counts[0]!.length;
  const shown = (i: number, j: number) => (marks[i]![j] === 'shown' ? grid[i]![j]! : null);
  return {
    threshold,
    cells: counts.map((row, i) => row.map((_, j) => shown(i, j))),
    rowTotals: counts.map((_, i) => shown(i, columns)),
    columnTotals: counts[0]!.map((_, j) => shown(rows, j)),
    total: shown(rows, columns),
    marks: {
      cells: marks.slice(0, rows).map((row) => row.slice(0, columns)),
      rowTotals: marks.slice(0, rows).map((row) => row[columns]!),
      columnTotals: marks[rows]!.slice(0, columns),
      total: marks[rows]![columns]!,
    },
  };
}

/**
 * Protects a one-way table (categories and their total). With the total shown, each suppressed
 * count can be anything from 0 to the sum of the suppressed counts, so that sum must reach the
 * threshold and at least two counts must be hidden; otherwise the total goes too.
 */
export function protectList(counts: readonly number[], options: DisclosureOptions = {}): PublishedList {
  const threshold = checkThreshold(options.threshold ?? DEFAULT_THRESHOLD);
  checkCounts([counts]);
  const total = sum(counts);
  const marks: Mark[] = counts.map((v) => (isSmall(v, threshold) ? 'primary' : 'shown'));
  const hidden = () => counts.filter((_, i) => marks[i] !== 'shown');
  const safe = () => hidden().length === 0 || (hidden().length >= 2 && sum(hidden()) >= threshold);
  // A small total is hidden anyway, and then nothing bounds the cells from above.
  const smallTotal = isSmall(total, threshold);
  while (!smallTotal && !safe()) {
    const next = cheapest(counts.map((v, i) => ({ at: i, cost: cellCost(v) })).filter(({ at }) => marks[at] === 'shown'));
    if (next === undefined) break;
    marks[next] = 'secondary';
  }
  const totalMark: Mark = smallTotal ? 'primary' : safe() ? 'shown' : 'secondary';
  return {
    threshold,
    cells: counts.map((v, i) => (marks[i] === 'shown' ? v : null)),
    total: totalMark === 'shown' ? total : null,
    marks: { cells: marks, total: totalMark },
  };
}

/** Whether a duration (a median, a percentile, a curve) of a group may be shown. */
export interface DurationDecision {
  show: boolean;
  /** The count the threshold applies to: people whose event was seen (not those still waiting). */
  n: number;
  threshold: number;
}

/**
 * Every step of a survival curve, and so every median or percentile read from it, is the day on
 * which one particular person had the event: with few events those days are those people's
 * stories. So the threshold applies to the events seen, not to the group's size (a group of
 * forty with three placements would otherwise publish the three placement dates in effect).
 */
export function durationShown(group: { events: number }, options: DisclosureOptions = {}): DurationDecision {
  const threshold = checkThreshold(options.threshold ?? DEFAULT_THRESHOLD);
  return { show: group.events >= threshold, n: group.events, threshold };
}

function isSmall(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

/**
 * Complements come from the smallest cells: they lose the least information. A zero protects
 * little (it cannot go below zero), so positive cells go first; totals last, since a reader
 * most wants them.
 */
function cellCost(value: number): number {
  return value > 0 ? value : 1e6;
}

function entryCost(grid: readonly (readonly number[])[], i: number, j: number): number {
  const lastRow = i === grid.length - 1;
  const lastColumn = j === grid[0]!.length - 1;
  const penalty = lastRow && lastColumn ? 1e12 : lastRow || lastColumn ? 1e9 : 0;
  return penalty + cellCost(grid[i]![j]!);
}

function cheapest(candidates: readonly { at: number; cost: number }[]): number | undefined {
  return candidates.reduce<{ at: number; cost: number } | undefined>((best, c) => (best === undefined || c.cost < best.cost ? c : best), undefined)?.at;
}

/** A line (row or column, its total included) with a single suppressed entry gives it away: hide a second, until none is left alone. */
function pairLines(grid: readonly (readonly number[])[], marks: Mark[][]): void {
  const lines = [
    ...grid.map((row, i) => row.map((_, j) => [i, j] as const)),
    ...grid[0]!.map((_, j) => grid.map((_, i) => [i, j] as const)),
  ];
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      const open = line.filter(([i, j]) => marks[i]![j] === 'shown');
      if (line.length - open.length !== 1 || open.length === 0) continue;
      const at = cheapest(open.map(([i, j], k) => ({ at: k, cost: entryCost(grid, i, j) })))!;
      const [i, j] = open[at]!;
      marks[i]![j] = 'secondary';
      changed = true;
    }
  }
}

/**
 * The first suppressed entry still narrowed down too far, with the entry to hide next for it: the
 * cheapest that alone makes it safe, else the one that widens it most (cheapest among equals).
 */
function firstExposed(grid: readonly (readonly number[])[], marks: Mark[][], threshold: number): [number, number] | undefined {
  const hidden = () => marks.map((row) => row.map((m) => m !== 'shown'));
  const width = (suppressed: boolean[][], i: number, j: number) => {
    const r = rangeOf(grid, suppressed, i, j);
    return r.max - r.min;
  };
  for (const [i, row] of marks.entries()) {
    for (const [j, mark] of row.entries()) {
      if (mark === 'shown') continue;
      const needed = mark === 'primary' ? threshold : 1;
      const now = width(hidden(), i, j);
      if (now >= needed) continue;
      let best: { at: [number, number]; safe: boolean; width: number; cost: number } | undefined;
      for (const [a, other] of marks.entries()) {
        for (const [b, m] of other.entries()) {
          if (m !== 'shown') continue;
          const trial = hidden();
          trial[a]![b] = true;
          const w = width(trial, i, j);
          const candidate = { at: [a, b] as [number, number], safe: w >= needed, width: w, cost: entryCost(grid, a, b) };
          if (best === undefined || better(candidate, best)) best = candidate;
        }
      }
      // Everything hidden leaves every entry unbounded, so a candidate always exists until then.
      if (!best) throw new Error('a suppressed count is exposed with nothing left to hide');
      return best.at;
    }
  }
  return undefined;
}

function better(a: { safe: boolean; width: number; cost: number }, b: { safe: boolean; width: number; cost: number }): boolean {
  if (a.safe !== b.safe) return a.safe;
  if (!a.safe && a.width !== b.width) return a.width > b.width;
  return a.cost < b.cost;
}

function checkThreshold(threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError(`a threshold is a whole number >= 1, not ${threshold}`);
  return threshold;
}

function checkCounts(counts: readonly (readonly number[])[]): void {
  const columns = counts[0]?.length ?? 0;
  if (columns === 0 || counts.some((row) => row.length !== columns)) throw new RangeError('a table needs at least one cell and rows of equal length');
  if (counts.some((row) => row.some((v) => !Number.isInteger(v) || v < 0))) throw new RangeError('counts are whole numbers >= 0');
}
