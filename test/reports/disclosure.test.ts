import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rangeOf, withTotals } from '../../src/reports/disclosure-ranges.js';
import { durationShown, protectList, protectTable, type PublishedTable } from '../../src/reports/disclosure.js';
import { maximise, minimise } from './exact-lp.js';
import { entries, gridPosition, keyAt, readersSystem, truth } from './readers-view.js';

/*
 * What the property test proves, for every generated table and threshold 5:
 *  - every count from 1 to 4 (cells and totals alike) is suppressed, and every shown number is the true one;
 *  - for every suppressed entry, the exact minimum and maximum over all non-negative tables that agree
 *    with everything published (shown cells, shown row, column and grand totals, and the equations
 *    tying them together) are found by linear programming with exact fractions (exact-lp.ts, which
 *    knows nothing of tables); the bounds are whole numbers, so they are reached by real tables of
 *    counts, and the true count lies between them;
 *  - a count suppressed for being small could be anything in an interval at least 5 wide (max - min
 *    >= 5; so the interval always holds a value of 5 or more, and a reader cannot tell the count is
 *    small), and any other suppressed count has at least two possible values: none is recoverable;
 *  - the product's own bounds (maximum flows, disclosure-ranges.ts) equal the LP's exactly.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const THRESHOLD = 5;

// Many small counts (the cases that need protecting), some up to 30, some zeros.
const count = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 6 }), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 30 }), weight: 1 });
const table = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .chain(([rows, columns]) => fc.array(fc.array(count, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }));

/** Checks one table; returns how many suppressed entries were proven safe. */
function checkTable(counts: number[][]): number {
  const published = protectTable(counts, { threshold: THRESHOLD });
  const real = truth(counts);
  const { system, variable } = readersSystem(published);
  const grid = withTotals(counts);
  const hidden = grid.map((row, i) => row.map((_, j) => variable.has(keyAt(i, j, counts))));
  for (const e of entries(published).values()) {
    const v = real.get(e.key)!;
    if (v > 0 && v < THRESHOLD) expect(e.mark, `${e.key}=${v} is small`).toBe('primary');
    if (e.mark === 'shown') expect(e.value).toBe(v);
    else expect(e.value).toBeNull();
  }
  for (const [key, index] of variable) {
    const min = minimise(system, index);
    const max = maximise(system, index);
    const v = real.get(key)!;
    expect(min).toBeLessThanOrEqual(v);
    expect(max).toBeGreaterThanOrEqual(v);
    const mark = entries(published).get(key)!.mark;
    if (mark === 'primary') expect(max - min, `${key}=${v} in [${min}, ${max}]`).toBeGreaterThanOrEqual(THRESHOLD);
    else expect(max, `${key}=${v} recoverable`).toBeGreaterThan(min);
    const [i, j] = gridPosition(key, counts.length, counts[0]!.length);
    expect(rangeOf(grid, hidden, i, j)).toEqual({ min, max });
  }
  return variable.size;
}

describe('statistics safe to publish: two-way tables', () => {
  it(`lets no suppressed count be worked out, in ${RUNS} random tables (proven by exact linear programming)`, () => {
    let proven = 0;
    fc.assert(
      fc.property(table, (counts) => {
        proven += checkTable(counts);
      }),
      { numRuns: RUNS },
    );
    expect(proven).toBeGreaterThan(RUNS); // the generator does produce suppressions to prove
  }, Math.max(120_000, RUNS * 50)); // about 15 ms a table, most of it the exact solver

  it('hides a small cell with the smallest cells that close a rectangle around it', () => {
    // 1 is small. Its row and column each need a second hidden cell: 7 (row) and 8 (column);
    // the row of 8 then needs one more: 9. The rectangle 1, 7 / 8, 9 lets 1 range over
    // 1 - min(1, 9) .. 1 + min(7, 8) = 0..8, at least 5 wide.
    const p = protectTable([
      [1, 7, 20],
      [8, 9, 30],
      [25, 26, 40],
    ]);
    expect(p.cells).toEqual([
      [null, null, 20],
      [null, null, 30],
      [25, 26, 40],
    ]);
    expect(p.marks.cells[0]).toEqual(['primary', 'secondary', 'shown']);
    expect(p.rowTotals).toEqual([28, 47, 91]);
    expect(p.columnTotals).toEqual([34, 42, 90]);
    expect(p.total).toBe(166);
    const grid = withTotals([[1, 7, 20], [8, 9, 30], [25, 26, 40]]);
    const hidden = grid.map((row, i) => row.map((_, j) => i < 2 && j < 2));
    expect(rangeOf(grid, hidden, 0, 0)).toEqual({ min: 0, max: 8 });
  });

  it('checks exactly, because two hidden entries in every line are not always enough', () => {
    // Two hidden 2×2 blocks joined by one hidden cell (1, 2) = 6: every row and column with a
    // hidden cell has two or more, yet what is hidden in rows 0-1 (28 - 13, 55 - 9) minus what is
    // hidden in columns 0-1 (35 - 14, 50 - 16) leaves only the joining cell: 15 + 46 - 21 - 34 = 6.
    // The exact bounds see it; the line rule alone does not.
    const counts = [
      [7, 8, 9, 4],
      [14, 26, 6, 9],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
    ];
    const grid = withTotals(counts);
    const blocks = new Set(['0:0', '0:1', '1:0', '1:1', '2:2', '2:3', '3:2', '3:3', '1:2']);
    const hidden = grid.map((row, i) => row.map((_, j) => blocks.has(`${i}:${j}`)));
    expect(rangeOf(grid, hidden, 1, 2)).toEqual({ min: 6, max: 6 });
    expect(rangeOf(grid, hidden, 0, 0).max).toBeGreaterThan(rangeOf(grid, hidden, 0, 0).min);
    const published = {
      threshold: THRESHOLD,
      cells: counts.map((row, i) => row.map((v, j) => (hidden[i]![j] ? null : v))),
      rowTotals: grid.slice(0, 4).map((row) => row[4]!),
      columnTotals: grid[4]!.slice(0, 4),
      total: grid[4]![4]!,
      marks: { cells: counts.map((row, i) => row.map((_, j) => (hidden[i]![j] ? 'secondary' : 'shown'))), rowTotals: [], columnTotals: [], total: 'shown' },
    } as unknown as PublishedTable;
    const { system, variable } = readersSystem(published);
    expect([minimise(system, variable.get('c:1:2')!), maximise(system, variable.get('c:1:2')!)]).toEqual([6, 6]);
    // The product's answer for the same counts leaves nothing recoverable.
    checkTable(counts);
  });

  it('shows a table with no small counts as it is, zeros included', () => {
    const p = protectTable([
      [0, 12],
      [30, 5],
    ]);
    expect(p.cells).toEqual([
      [0, 12],
      [30, 5],
    ]);
    expect([p.rowTotals, p.columnTotals, p.total]).toEqual([[12, 35], [30, 17], 47]);
  });

  it('hides more than two cells when two would leave the count too narrow', () => {
    // 1 and 2 share a row with 2 and 1 below them: the rectangle alone leaves 1 within 0..3,
    // narrower than 5, so more must go.
    const counts = [
      [1, 2, 40],
      [2, 1, 40],
      [30, 30, 30],
    ];
    checkTable(counts);
    const p = protectTable(counts);
    expect(p.cells.flat().filter((v) => v === null).length).toBeGreaterThan(4);
  });

  it('hides a small total and whatever would give it away', () => {
    // A 1×1 table is its own totals: everything goes.
    expect(protectTable([[3]])).toMatchObject({ cells: [[null]], rowTotals: [null], columnTotals: [null], total: null });
    checkTable([[3]]);
    checkTable([[2, 0, 9]]);
    checkTable([[1], [1], [1]]);
  });

  it('refuses what is not a table of counts', () => {
    expect(() => protectTable([])).toThrow(RangeError);
    expect(() => protectTable([[1, 2], [3]])).toThrow(RangeError);
    expect(() => protectTable([[1.5]])).toThrow(RangeError);
    expect(() => protectTable([[1]], { threshold: 0 })).toThrow(RangeError);
  });
});

describe('statistics safe to publish: one-way tables', () => {
  /** A reader of a list knows Σ cells = total; each hidden cell's exact bounds by LP. */
  function checkList(counts: number[]) {
    const p = protectList(counts, { threshold: THRESHOLD });
    const keys = [...counts.map((_, i) => i), 'n'] as const;
    const values = [...p.cells, p.total];
    const variable = new Map<number | string, number>();
    keys.forEach((k, i) => values[i] === null && variable.set(k, variable.size));
    const coefficients = new Array<number>(variable.size).fill(0);
    let rhs = 0;
    keys.forEach((k, i) => {
      const coef = k === 'n' ? -1 : 1;
      const v = variable.get(k);
      if (v === undefined) rhs -= coef * values[i]!;
      else coefficients[v] = coef;
    });
    const system = { variables: variable.size, equations: variable.size > 0 ? [{ coefficients, rhs }] : [] };
    const total = counts.reduce((a, b) => a + b, 0);
    for (const [k, index] of variable) {
      const v = k === 'n' ? total : counts[k as number]!;
      const [min, max] = [minimise(system, index), maximise(system, index)];
      expect(min <= v && v <= max).toBe(true);
      const mark = k === 'n' ? p.marks.total : p.marks.cells[k as number];
      if (mark === 'primary') expect(max - min).toBeGreaterThanOrEqual(THRESHOLD);
      else expect(max).toBeGreaterThan(min);
    }
    counts.forEach((v, i) => {
      if (v > 0 && v < THRESHOLD) expect(p.cells[i]).toBeNull();
      if (p.cells[i] !== null) expect(p.cells[i]).toBe(v);
    });
    return p;
  }

  it(`lets no suppressed count be worked out, in ${RUNS} random lists`, () => {
    fc.assert(fc.property(fc.array(count, { minLength: 1, maxLength: 12 }), (counts) => void checkList(counts)), { numRuns: RUNS });
  });

  it('hides the next smallest category, and the total when nothing else can protect', () => {
    expect(checkList([3, 10, 12, 40])).toMatchObject({ cells: [null, null, 12, 40], total: 65 });
    expect(checkList([1, 2, 30])).toMatchObject({ cells: [null, null, null], total: 33 });
    expect(checkList([3, 0])).toMatchObject({ cells: [null, 0], total: null, marks: { total: 'primary' } });
    expect(checkList([3, 0, 7])).toMatchObject({ cells: [null, 0, null], total: 10 });
    expect(checkList([0, 0, 9])).toMatchObject({ cells: [0, 0, 9], total: 9 });
  });
});

describe('the exact solver the proof rests on', () => {
  it('finds bounds, unbounded maxima and redundant equations', () => {
    // x + y = 3: x in 0..3. x - y = 1: x from 1 up without bound. Twice the same equation is redundant.
    const sumTo3 = { variables: 2, equations: [{ coefficients: [1, 1], rhs: 3 }, { coefficients: [2, 2], rhs: 6 }] };
    expect([minimise(sumTo3, 0), maximise(sumTo3, 0)]).toEqual([0, 3]);
    const differ = { variables: 2, equations: [{ coefficients: [1, -1], rhs: 1 }] };
    expect([minimise(differ, 0), maximise(differ, 0)]).toEqual([1, Infinity]);
    expect(() => minimise({ variables: 1, equations: [{ coefficients: [1], rhs: -2 }] }, 0)).toThrow(/infeasible/);
  });
});

describe('durations of small groups', () => {
  it('shows a median only when enough people had the event, whatever the group size', () => {
    expect(durationShown({ events: 5 })).toEqual({ show: true, n: 5, threshold: 5 });
    expect(durationShown({ events: 4 })).toEqual({ show: false, n: 4, threshold: 5 });
    expect(durationShown({ events: 9 }, { threshold: 10 })).toMatchObject({ show: false });
  });
});
