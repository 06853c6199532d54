import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseloadCohorts, TABLE_1, tableTotal } from '../../bench/lib/people.js';
import type { Actor } from '../../src/domain/model.js';
import { call, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

/**
 * The field report's Table 1 (seed 004), the whole of it: 1,360 people in whole families, opened
 * as bench opens them (one cohort per operation and phase, through POST /v1/cohorts), then read
 * back through the statistics and the caseload report. Arrivals are dated today so no deadline
 * fires while the test runs: Table 1 is about who arrived, not when.
 */
let stack: TestStack;
let app: FastifyInstance;
const OVERSIGHT: Actor = { id: 'supervisor-olga', role: 'supervisor', org: 'oversight' };
const PROGRAMMES = Object.keys(TABLE_1).sort() as (keyof typeof TABLE_1)[];
const COLUMNS = ['men', 'women', 'children'] as const;
type Cell = { count: number | null; suppressed: boolean };

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  const cohorts = caseloadCohorts(TABLE_1, 'table1', ARRIVAL);
  for (const [i, body] of cohorts.entries()) {
    const answer = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts', payload: body, headers: { 'idempotency-key': `table1-${i}` } });
    expect(answer.statusCode, `${body.programme} ${body.operation} ${body.phase ?? ''}: ${answer.body.slice(0, 200)}`).toBe(201);
  }
  const { rows } = await stack.db.pool.query('select count(*)::int as n from pathways');
  expect(rows[0].n).toBe(tableTotal(TABLE_1));
}, 600_000);
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

describe('Table 1 of the field report', () => {
  it('comes back from the statistics as programme × men, women, children, every cell shown', async () => {
    const { people } = (await call(app, stack, OVERSIGHT, { method: 'GET', url: '/v1/statistics' })).json();
    expect(people.rows).toEqual(PROGRAMMES);
    expect(people.columns).toEqual(COLUMNS);
    // No count of Table 1 is from 1 to 4: nothing is hidden, and each cell is the printed figure.
    expect(people.cells.map((row: Cell[]) => row.map((c) => c.count))).toEqual(PROGRAMMES.map((p) => COLUMNS.map((c) => TABLE_1[p][c])));
    expect(people.cells.flat().every((c: Cell) => !c.suppressed)).toBe(true);
    expect(people.total).toEqual({ count: 1360, suppressed: false });
    expect(people.rowTotals.map((c: Cell) => c.count)).toEqual(PROGRAMMES.map((p) => COLUMNS.reduce((n, c) => n + TABLE_1[p][c], 0)));
  });

  it('comes back from the caseload report, the same shape', async () => {
    const { programmes } = (await call(app, stack, OVERSIGHT, { method: 'GET', url: '/v1/reports/caseload' })).json();
    expect(programmes.map(({ programme, men, women, children }: Record<string, unknown>) => ({ programme, men, women, children }))).toEqual(
      PROGRAMMES.map((programme) => ({ programme, ...TABLE_1[programme] })),
    );
  });

  it('hides Kazakhstan\'s 37 men under a threshold of 40, and what would give them away, as the method says', async () => {
    const strict = await startTestApi(stack, { ...stack.config, statistics: { threshold: 40 } });
    try {
      const { people, method } = (await call(strict, stack, OVERSIGHT, { method: 'GET', url: '/v1/statistics' })).json();
      expect(method).toMatch(/complementary suppression/);
      const kz = PROGRAMMES.indexOf('KZ');
      expect(people.cells[kz][0]).toEqual({ count: null, suppressed: true });
      // The men column adds up to 37 too: a total is a count of people.
      expect(people.columnTotals[0]).toEqual({ count: null, suppressed: true });
      // Kazakhstan's row total would give the men away from the women and children: another of them is hidden.
      const others = [people.cells[kz][1], people.cells[kz][2], people.rowTotals[kz]];
      expect(others.some((c: Cell) => c.suppressed)).toBe(true);
      // Whatever is shown is true, and zeros are shown.
      PROGRAMMES.forEach((p, r) => COLUMNS.forEach((c, k) => {
        const cell: Cell = people.cells[r][k];
        if (!cell.suppressed) expect(cell.count).toBe(TABLE_1[p][c]);
        if (TABLE_1[p][c] === 0) expect(cell.count).toBe(0);
      }));
    } finally {
      await strict.close();
    }
  });
});
