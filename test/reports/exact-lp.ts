/**
 * A small exact linear-programming solver for the disclosure tests: two-phase simplex with Bland's
 * rule (no cycling) over exact fractions. It knows nothing about tables or flows, so it checks
 * src/reports/disclosure-ranges.ts from the outside.
 *
 * Fractions are kept as pairs of safe integers and every operation asserts that it stays exact:
 * a test that silently rounded would prove nothing.
 */

type Q = readonly [num: number, den: number];

const gcd = (a: number, b: number): number => {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};

function q(num: number, den = 1): Q {
  if (den === 0) throw new Error('division by zero');
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den)) throw new Error(`fraction not exact: ${num}/${den}`);
  const g = gcd(num, den) || 1;
  const sign = den < 0 ? -1 : 1;
  return [(sign * num) / g, (sign * den) / g];
}
const add = (a: Q, b: Q) => q(a[0] * b[1] + b[0] * a[1], a[1] * b[1]);
const sub = (a: Q, b: Q) => q(a[0] * b[1] - b[0] * a[1], a[1] * b[1]);
const mul = (a: Q, b: Q) => q(a[0] * b[0], a[1] * b[1]);
const div = (a: Q, b: Q) => q(a[0] * b[1], a[1] * b[0]);
const sign = (a: Q) => Math.sign(a[0]);
const compare = (a: Q, b: Q) => sign(sub(a, b));
const ZERO = q(0);

/** Constraints Σ coefficients[v]·x[v] = rhs over variables x >= 0 (integers in, exact answer out). */
export interface EqualitySystem {
  variables: number;
  equations: { coefficients: number[]; rhs: number }[];
}

/** Minimum of x[target] over the system, as a number (checked to be exact); throws when infeasible. */
export function minimise(system: EqualitySystem, target: number): number {
  const objective = new Array<number>(system.variables).fill(0);
  objective[target] = 1;
  const min = solve(system, objective);
  if (min === 'unbounded') throw new Error('a count cannot be unbounded below');
  return toNumber(min);
}

/** Maximum of x[target]; Infinity when nothing bounds it. */
export function maximise(system: EqualitySystem, target: number): number {
  const objective = new Array<number>(system.variables).fill(0);
  objective[target] = -1;
  const min = solve(system, objective);
  return min === 'unbounded' ? Infinity : -toNumber(min);
}

/** Bounds at vertices of these systems are whole numbers; a fraction here would be a finding. */
function toNumber([num, den]: Q): number {
  if (den !== 1) throw new Error(`bound ${num}/${den} is not a whole number`);
  return num;
}

function solve(system: EqualitySystem, objective: number[]): Q | 'unbounded' {
  const n = system.variables;
  const rows = system.equations.map(({ coefficients, rhs }) => (rhs < 0 ? { coefficients: coefficients.map((c) => -c), rhs: -rhs } : { coefficients, rhs }));
  const m = rows.length;
  // Tableau columns: n variables, m artificials, right-hand side.
  const tableau: Q[][] = rows.map((row, i) => [
    ...row.coefficients.map((c) => q(c)),
    ...Array.from({ length: m }, (_, k) => q(k === i ? 1 : 0)),
    q(row.rhs),
  ]);
  const basis = rows.map((_, i) => n + i);

  // Phase 1: minimise the sum of the artificials.
  const phase1 = [...new Array<number>(n).fill(0), ...new Array<number>(m).fill(1)];
  if (run(tableau, basis, phase1, n + m) === 'unbounded') throw new Error('phase 1 cannot be unbounded');
  if (sign(value(tableau, basis, phase1)) !== 0) throw new Error('infeasible: the true table must satisfy what is published');
  // Drive artificials out of the basis; a row with no other entry is redundant and goes.
  for (let i = tableau.length - 1; i >= 0; i--) {
    if (basis[i]! < n) continue;
    const column = tableau[i]!.findIndex((c, j) => j < n && sign(c) !== 0);
    if (column === -1) {
      tableau.splice(i, 1);
      basis.splice(i, 1);
    } else pivot(tableau, basis, i, column);
  }
  // Phase 2 over the real variables only.
  const phase2 = [...objective, ...new Array<number>(m).fill(0)];
  if (run(tableau, basis, phase2, n) === 'unbounded') return 'unbounded';
  return value(tableau, basis, phase2);
}

function value(tableau: Q[][], basis: number[], cost: number[]): Q {
  return basis.reduce((acc, b, i) => add(acc, mul(q(cost[b]!), tableau[i]!.at(-1)!)), ZERO);
}

/** Simplex iterations over columns below `columns`; Bland's rule: lowest index enters and leaves. */
function run(tableau: Q[][], basis: number[], cost: number[], columns: number): 'optimal' | 'unbounded' {
  for (;;) {
    let entering = -1;
    for (let j = 0; j < columns && entering === -1; j++) {
      if (basis.includes(j)) continue;
      // Reduced cost c_j - Σ c_B · column.
      const reduced = tableau.reduce((acc, row, i) => sub(acc, mul(q(cost[basis[i]!]!), row[j]!)), q(cost[j]!));
      if (sign(reduced) < 0) entering = j;
    }
    if (entering === -1) return 'optimal';
    let leaving = -1;
    let best: Q | undefined;
    tableau.forEach((row, i) => {
      if (sign(row[entering]!) <= 0) return;
      const ratio = div(row.at(-1)!, row[entering]!);
      const c = best === undefined ? -1 : compare(ratio, best);
      if (c < 0 || (c === 0 && basis[i]! < basis[leaving]!)) {
        best = ratio;
        leaving = i;
      }
    });
    if (leaving === -1) return 'unbounded';
    pivot(tableau, basis, leaving, entering);
  }
}

function pivot(tableau: Q[][], basis: number[], r: number, c: number): void {
  const p = tableau[r]![c]!;
  tableau[r] = tableau[r]!.map((x) => div(x, p));
  tableau.forEach((row, i) => {
    if (i === r || sign(row[c]!) === 0) return;
    const f = row[c]!;
    tableau[i] = row.map((x, j) => sub(x, mul(f, tableau[r]![j]!)));
  });
  basis[r] = c;
}
