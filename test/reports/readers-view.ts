import { expect } from 'vitest';
import { withTotals } from '../../src/reports/disclosure-ranges.js';
import type { PublishedTable } from '../../src/reports/disclosure.js';
import type { EqualitySystem } from './exact-lp.js';

/** What a reader of a published table sees and knows, written plainly for the disclosure tests. */

type Entry = { key: string; value: number | null; mark: string };

/** The published table as named entries: c:i:j cells, r:i row totals, k:j column totals, n the grand total. */
export function entries(p: PublishedTable): Map<string, Entry> {
  const map = new Map<string, Entry>();
  p.cells.forEach((row, i) => row.forEach((v, j) => map.set(`c:${i}:${j}`, { key: `c:${i}:${j}`, value: v, mark: p.marks.cells[i]![j]! })));
  p.rowTotals.forEach((v, i) => map.set(`r:${i}`, { key: `r:${i}`, value: v, mark: p.marks.rowTotals[i]! }));
  p.columnTotals.forEach((v, j) => map.set(`k:${j}`, { key: `k:${j}`, value: v, mark: p.marks.columnTotals[j]! }));
  map.set('n', { key: 'n', value: p.total, mark: p.marks.total });
  return map;
}

/** What a reader knows: Σ_j cell(i,j) = r(i), Σ_i cell(i,j) = k(j), Σ r = n, Σ k = n, with shown values filled in. */
export function readersSystem(p: PublishedTable): { system: EqualitySystem; variable: Map<string, number> } {
  const all = entries(p);
  const variable = new Map<string, number>();
  for (const e of all.values()) if (e.value === null) variable.set(e.key, variable.size);
  const rows = p.cells.length;
  const columns = p.cells[0]!.length;
  const equation = (plus: string[], minus: string) => {
    const coefficients = new Array<number>(variable.size).fill(0);
    let rhs = 0;
    for (const [key, coef] of [...plus.map((k) => [k, 1] as const), [minus, -1] as const]) {
      const v = variable.get(key);
      if (v === undefined) rhs -= coef * all.get(key)!.value!;
      else coefficients[v]! += coef;
    }
    return { coefficients, rhs };
  };
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const equations = [
    ...range(rows).map((i) => equation(range(columns).map((j) => `c:${i}:${j}`), `r:${i}`)),
    ...range(columns).map((j) => equation(range(rows).map((i) => `c:${i}:${j}`), `k:${j}`)),
    equation(range(rows).map((i) => `r:${i}`), 'n'),
    equation(range(columns).map((j) => `k:${j}`), 'n'),
  ];
  // An equation with every entry shown must already hold; it tells the reader nothing more.
  for (const e of equations) if (e.coefficients.every((c) => c === 0)) expect(e.rhs).toBe(0);
  return { system: { variables: variable.size, equations: equations.filter((e) => e.coefficients.some((c) => c !== 0)) }, variable };
}

export function truth(counts: number[][]): Map<string, number> {
  const grid = withTotals(counts);
  const rows = counts.length;
  const columns = counts[0]!.length;
  const map = new Map<string, number>([['n', grid[rows]![columns]!]]);
  grid.forEach((row, i) =>
    row.forEach((v, j) => {
      if (i < rows && j < columns) map.set(`c:${i}:${j}`, v);
      else if (i < rows) map.set(`r:${i}`, v);
      else if (j < columns) map.set(`k:${j}`, v);
    }),
  );
  return map;
}

export function gridPosition(key: string, rows: number, columns: number): [number, number] {
  const [kind, a, b] = key.split(':');
  if (kind === 'c') return [Number(a), Number(b)];
  if (kind === 'r') return [Number(a), columns];
  if (kind === 'k') return [rows, Number(a)];
  return [rows, columns];
}

export function keyAt(i: number, j: number, counts: number[][]): string {
  const rows = counts.length;
  const columns = counts[0]!.length;
  if (i < rows && j < columns) return `c:${i}:${j}`;
  if (i < rows) return `r:${i}`;
  if (j < columns) return `k:${j}`;
  return 'n';
}
