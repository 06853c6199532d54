/**
 * How far a reader can narrow down each suppressed count of a two-way table from what is published
 * (the shown cells and totals, that totals add up, that counts are never negative).
 *
 * The table with its totals is an (m+1)×(n+1) grid: cells, a column of row totals, a row of column
 * totals and the grand total in the corner. Giving totals a minus sign (the corner keeps a plus)
 * makes every line of the grid add up to zero. Any other table agreeing with the published one
 * differs from the true one by a change that keeps every line at zero and touches only suppressed
 * entries: a circulation in the graph whose nodes are the grid's lines and whose edges are the
 * suppressed entries. So the largest increase of an entry is a maximum flow back around through
 * the other suppressed entries, each bounded by how far it can move before a count goes negative.
 * Integer counts give integer flows, so the bounds are whole numbers reached by real tables.
 */

/** The whole numbers a suppressed entry could be, given everything published. */
export interface Range {
  min: number;
  /** Infinity when nothing published bounds it. */
  max: number;
}

// A capacity no table of people reaches; flows at least this large are unbounded.
const UNBOUNDED = 1e12;

/** The table with its totals as one grid: row totals in the last column, column totals in the last row. */
export function withTotals(counts: readonly (readonly number[])[]): number[][] {
  const columns = counts[0]?.length ?? 0;
  const rows = counts.map((row) => [...row, sum(row)]);
  const totals = Array.from({ length: columns + 1 }, (_, j) => sum(rows.map((row) => row[j]!)));
  return [...rows, totals];
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Ranges of every suppressed entry of a grid made by `withTotals`; null for shown entries. */
export function suppressedRanges(grid: readonly (readonly number[])[], suppressed: readonly (readonly boolean[])[]): (Range | null)[][] {
  return grid.map((row, i) => row.map((_, j) => (suppressed[i]![j] ? rangeOf(grid, suppressed, i, j) : null)));
}

/** The range of one suppressed entry (i, j). */
export function rangeOf(grid: readonly (readonly number[])[], suppressed: readonly (readonly boolean[])[], i: number, j: number): Range {
  const value = grid[i]![j]!;
  const [up, down] = slack(grid, i, j);
  const rows = grid.length;
  // Moving (i, j) up by t sends t from row i to column j; it must come back from column j to row i.
  const increase = Math.min(up, maxFlow(capacities(grid, suppressed, i, j), rows + j, i));
  const decrease = Math.min(down, maxFlow(capacities(grid, suppressed, i, j), i, rows + j));
  const total = isTotal(grid, i, j);
  // A total carries a minus sign in the grid, so its own value moves the other way.
  const [below, above] = total ? [increase, decrease] : [decrease, increase];
  return { min: value - below, max: above >= UNBOUNDED ? Infinity : value + above };
}

function isTotal(grid: readonly (readonly number[])[], i: number, j: number): boolean {
  const lastRow = i === grid.length - 1;
  const lastColumn = j === grid[0]!.length - 1;
  return lastRow !== lastColumn;
}

/**
 * How far entry (i, j) may move up and down on the signed grid before its count goes negative:
 * a cell or the grand total can grow without bound and shrink to zero; a total (minus sign) the
 * other way round.
 */
function slack(grid: readonly (readonly number[])[], i: number, j: number): [up: number, down: number] {
  const value = grid[i]![j]!;
  return isTotal(grid, i, j) ? [value, UNBOUNDED] : [UNBOUNDED, value];
}

/** Capacities between line nodes (rows first, then columns) through the suppressed entries other than (i, j). */
function capacities(grid: readonly (readonly number[])[], suppressed: readonly (readonly boolean[])[], i: number, j: number): number[][] {
  const rows = grid.length;
  const nodes = rows + grid[0]!.length;
  const capacity = Array.from({ length: nodes }, () => new Array<number>(nodes).fill(0));
  grid.forEach((row, r) =>
    row.forEach((_, c) => {
      if (!suppressed[r]![c] || (r === i && c === j)) return;
      const [up, down] = slack(grid, r, c);
      capacity[r]![rows + c] = up;
      capacity[rows + c]![r] = down;
    }),
  );
  return capacity;
}

/** Edmonds–Karp on a dense capacity matrix (a few dozen nodes at most); consumes `capacity`. */
function maxFlow(capacity: number[][], source: number, sink: number): number {
  let flow = 0;
  for (;;) {
    const parent = new Array<number>(capacity.length).fill(-1);
    parent[source] = source;
    const queue = [source];
    while (queue.length > 0 && parent[sink] === -1) {
      const u = queue.shift()!;
      capacity[u]!.forEach((c, v) => {
        if (c > 0 && parent[v] === -1) {
          parent[v] = u;
          queue.push(v);
        }
      });
    }
    if (parent[sink] === -1) return flow;
    let push = Infinity;
    for (let v = sink; v !== source; v = parent[v]!) push = Math.min(push, capacity[parent[v]!]![v]!);
    for (let v = sink; v !== source; v = parent[v]!) {
      capacity[parent[v]!]![v]! -= push;
      capacity[v]![parent[v]!]! += push;
    }
    flow += push;
    if (flow >= UNBOUNDED) return UNBOUNDED;
  }
}
