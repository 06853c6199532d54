import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, startTestApi, useApiStack } from '../helpers/api.js';
import { ACTORS } from '../helpers/pathways.js';
import { HAND_COUNTED, HAND_COUNTED_PEOPLE as TRUTH, writeReportRows } from '../helpers/report-rows.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)), { worker: false });

const OVERSIGHT: Actor = { id: 'supervisor-olga', role: 'supervisor', org: 'oversight' };
const stats = (actor: Actor, query = '') => call(app, stack, actor, { method: 'GET', url: `/v1/statistics${query}` });
const makePublic = (actor: Actor, programme: string, body: unknown) => call(app, stack, actor, { method: 'PUT', url: `/v1/statistics/public/${programme}`, payload: body as object });
const readPublic = (programme: string, on = app) => on.inject({ method: 'GET', url: `/public/statistics/${programme}` });

type Cell = { count: number | null; suppressed: boolean };

// The dataset and its figures counted by hand: HAND_COUNTED in test/helpers/report-rows.ts.
beforeAll(async () => {
  await writeReportRows(stack.db.pool, HAND_COUNTED);
});

function expectProtected(table: { rows: string[]; cells: Cell[][] }, truth: Record<string, number[]>) {
  table.rows.forEach((row, r) =>
    table.cells[r]!.forEach((cell, c) => {
      const real = truth[row]![c]!;
      expect(cell.suppressed).toBe(cell.count === null);
      if (!cell.suppressed) expect(cell.count).toBe(real);
      if (real > 0 && real < 5) expect(cell).toEqual({ count: null, suppressed: true });
    }),
  );
}

describe('statistics safe to publish', () => {
  it('counts people as Table 1 does, small counts hidden and the cells that would give them away too, never saying which is which', async () => {
    const response = await stats(ACTORS.supervisor);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.threshold).toBe(5);
    expect(body.method).toMatch(/complementary suppression/);
    expect(body.people.rows).toEqual(['KG', 'KZ', 'UZ']);
    expect(body.people.columns).toEqual(['men', 'women', 'children']);
    expectProtected(body.people, TRUTH);
    // The one Kyrgyz child is hidden, and more with it: one hidden count alone is the total minus the others.
    const hidden = [...body.people.cells.flat(), ...body.people.rowTotals, ...body.people.columnTotals, body.people.total].filter((c: Cell) => c.suppressed);
    expect(hidden.length).toBeGreaterThan(1);
    expect(JSON.stringify(body)).not.toMatch(/"why"/);
    // So the indicator tables publish no total, and nothing of a programme Table 1 hides part of.
    expect([body.placements.rowTotals, body.placements.columnTotals, body.placements.total]).toEqual([null, null, null]);
    body.people.rows.forEach((_: string, r: number) => {
      if (body.people.cells[r].some((c: Cell) => c.suppressed)) expect(body.indicators[r].placement).toMatchObject({ reached: { suppressed: true }, medianDays: 'hidden' });
    });
  });

  it('shows a duration only where enough people reached the event, and a share within the target that gives no small count away', async () => {
    const kz = (await stats(ACTORS.supervisor, '?programme=KZ')).json().indicators[0].placement;
    expect(kz).toMatchObject({ durationShown: true, medianDays: 70, p90Days: 'not-reached', targetDays: 45 });
    expect(kz.reached).toEqual({ count: 8, suppressed: false });
    // 5 of 14 by the 45th day: 36%, which tells 5 within and 9 past, neither under the threshold.
    expect(kz.withinTarget).toBe(0.36);
    const uz = (await stats(ACTORS.supervisor, '?programme=UZ')).json().indicators[0].placement;
    expect(uz).toMatchObject({ durationShown: false, medianDays: 'hidden', p90Days: 'hidden', withinTarget: null });
    expect(uz.reached).toEqual({ count: null, suppressed: true });
  });

  it('counts placements by option and those not yet placed, in one table through the same control, and takes the threshold from the configuration', async () => {
    const placements = (await stats(ACTORS.supervisor, '?programme=KZ')).json().placements;
    expect(placements.columns).toEqual(['mother', 'kinship', 'residential', 'notYet']);
    expect(placements.cells[0][0]).toEqual({ count: null, suppressed: true });
    const three = await startTestApi(stack, { ...stack.config, statistics: { threshold: 3 } });
    try {
      const shown = (await call(three, stack, ACTORS.supervisor, { method: 'GET', url: '/v1/statistics?programme=KZ' })).json();
      expect(shown.threshold).toBe(3);
      expect(shown.placements.cells[0].map((c: Cell) => c.count)).toEqual([3, 5, 0, 6]);
    } finally {
      await three.close();
    }
  });

  it('counts the caller\'s organisation\'s pathways only; the oversight organisation\'s supervisors count all', async () => {
    const own = (await stats(ACTORS.supervisor, '?programme=KZ')).json().indicators[0].placement.people.count;
    const all = (await stats(OVERSIGHT, '?programme=KZ')).json().indicators[0].placement.people.count;
    expect([own, all]).toEqual([14, 15]);
  });

  it('is for supervisors, and refuses bad input with the fields at fault', async () => {
    expectProblem(await stats(ACTORS.staff), 403, 'forbidden');
    for (const query of ['?programme=kz', '?from=today', '?to=2021-02-30x', '?to=2021-02-30', '?from=2021-02-02&to=2021-01-01', '?sex=male']) {
      expectProblem(await stats(ACTORS.supervisor, query), 400, 'validation-failed');
    }
  });
});

describe('public statistics', () => {
  it('are off by default; only the oversight organisation\'s supervisors switch them', async () => {
    expect(expectProblem(await readPublic('KZ'), 404, 'not-found').errors[0].code).toBe('statistics-not-public');
    expect(expectProblem(await makePublic(ACTORS.supervisor, 'KZ', { public: true }), 403, 'forbidden').errors[0].code).toBe('oversight-only');
    expectProblem(await makePublic(ACTORS.staff, 'KZ', { public: true }), 403, 'forbidden');
    expectProblem(await makePublic(OVERSIGHT, 'KZ', { public: 'yes' }), 400, 'validation-failed');
    expect(expectProblem(await makePublic(OVERSIGHT, 'XX', { public: true }), 404, 'not-found').errors[0].code).toBe('unknown-programme');
    expect(expectProblem(await readPublic('XX'), 404, 'not-found').errors[0].code).toBe('statistics-not-public');
  });

  it('answer without sign-in the same controlled statistics, cached five minutes, and stop at once when switched off', async () => {
    expect((await makePublic(OVERSIGHT, 'KZ', { public: true })).json()).toEqual({ programme: 'KZ', public: true });
    const first = await readPublic('KZ');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const body = first.json();
    expect(body.people.rows).toEqual(['KZ']);
    expectProtected(body.people, { KZ: [0, 8, 7] });
    const { publicProgrammes, ...signedIn } = (await stats(OVERSIGHT, '?programme=KZ')).json();
    expect(body).toEqual(signedIn);
    // Every supervisor sees what is public, so nobody publishes by surprise.
    expect(publicProgrammes).toEqual(['KZ']);
    expect((await stats(ACTORS.supervisor)).json().publicProgrammes).toEqual(['KZ']);
    // No pathway id, no date: only categories, counts and days.
    expect(JSON.stringify(body)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d{2}-\d{2}/);

    await writeReportRows(stack.db.pool, [{ programme: 'KZ', child: true, arrivedDaysAgo: 100, stages: { placement: {} } }]);
    expect((await readPublic('KZ')).json()).toEqual(body);

    await makePublic(OVERSIGHT, 'KZ', { public: false });
    expectProblem(await readPublic('KZ'), 404, 'not-found');
    expect((await stats(OVERSIGHT)).json().publicProgrammes).toEqual([]);
    await makePublic(OVERSIGHT, 'KZ', { public: true });
    expect((await readPublic('KZ')).json().indicators[0].placement.people.count).toBe(16);
  });

  it('are rate-limited by address like every request without a token', async () => {
    const limited = await startTestApi(stack, { ...stack.config, rateLimitPerMinute: 2 });
    try {
      const codes = [];
      for (let i = 0; i < 3; i += 1) codes.push((await readPublic('KZ', limited)).statusCode);
      expect(codes).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
