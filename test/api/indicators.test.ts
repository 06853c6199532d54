import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS } from '../helpers/pathways.js';
import { daysAgo, writeReportRows, type ReportRow } from '../helpers/report-rows.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)), { worker: false });

const OVERSIGHT: Actor = { id: 'supervisor-olga', role: 'supervisor', org: 'oversight' };
const get = (actor: Actor, query = '') => call(app, stack, actor, { method: 'GET', url: `/v1/reports/indicators${query}` });

/**
 * Six women arrived 100 days ago in Kazakhstan: two placed (days 20 and 40), one closed on day 30
 * without a placement, three still waiting. By hand: S(20) = 5/6, S(40) = 5/6 × 3/4 = 0.625; the
 * curve never reaches 50%, so the median is not reached; within the 45-day target 1 − 0.625.
 */
const waiting = { placement: {} };
const rows: ReportRow[] = [
  { programme: 'KZ', arrivedDaysAgo: 100, stages: { placement: { doneOnDay: 20 }, documentation: { doneOnDay: 50 } }, steps: [
    { type: 'placement.choose-option', stage: 'placement', day: 10, data: { option: 'kinship' } },
    { type: 'documentation.record-birth-certificate', stage: 'documentation', day: 12 },
  ] },
  { programme: 'KZ', arrivedDaysAgo: 100, stages: { placement: { doneOnDay: 40 }, documentation: {} }, steps: [
    { type: 'placement.choose-option', stage: 'placement', day: 10, data: { option: 'mother' } },
    { type: 'documentation.file-guardianship-petition', stage: 'documentation', day: 15 },
  ] },
  { programme: 'KZ', arrivedDaysAgo: 100, stages: { placement: {}, documentation: {} }, closedOnDay: 30 },
  { programme: 'KZ', arrivedDaysAgo: 100, stages: { placement: { overdue: true }, documentation: {} }, steps: [
    { type: 'psychosocial.record-declined', stage: 'psychosocial', day: 5 },
  ] },
  { programme: 'KZ', arrivedDaysAgo: 100, stages: { ...waiting, documentation: { overdue: true } } },
  { programme: 'KZ', arrivedDaysAgo: 100, stages: { ...waiting, documentation: { skipped: true } }, phase: '2', sex: 'male' },
  // Another organisation's pathway: only the oversight organisation counts it.
  { programme: 'KZ', arrivedDaysAgo: 100, org: 'akniet', stages: { placement: { doneOnDay: 5 } } },
  // Long ago, and a duplicate: outside the range, and no person of its own.
  { programme: 'UZ', operation: 'Mehr', arrivedDaysAgo: 400, stages: { placement: { doneOnDay: 100 } } },
  { programme: 'KZ', arrivedDaysAgo: 100, stages: { placement: { doneOnDay: 1 } }, closedOnDay: 2, closureReason: 'duplicate' },
];

beforeAll(async () => {
  await writeReportRows(stack.db.pool, rows);
});

describe('outcome indicators', () => {
  it('estimates time to placement with Kaplan–Meier, people still waiting censored now or at closure', async () => {
    const response = await get(ACTORS.supervisor, `?from=${daysAgo(200)}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.method).toMatch(/Kaplan–Meier/);
    expect(body.programmes.map((p: { programme: string }) => p.programme)).toEqual(['KZ']);
    const placement = body.programmes[0].placement;
    expect(placement).toMatchObject({ people: 6, reached: 2, stillWaiting: 4, medianDays: null, p90Days: null, targetDays: 45 });
    expect(placement.withinTarget).toBeCloseTo(0.375, 6);
    expect(placement.curve.map((p: { day: number; stillWaiting: number; atRisk: number }) => [p.day, Number(p.stillWaiting.toFixed(4)), p.atRisk])).toEqual([
      [20, 0.8333, 6],
      [30, 0.8333, 5],
      [40, 0.625, 4],
      [100, 0.625, 3],
    ]);
  });

  it('counts the first document recorded, even while the documentation stage goes on; a skipped stage is not counted', async () => {
    const { document } = (await get(ACTORS.supervisor, `?from=${daysAgo(200)}`)).json().programmes[0];
    // Day 12 (a birth certificate, before the stage ended on day 50); four waiting, one closed on day 30.
    expect(document).toMatchObject({ people: 5, reached: 1, stillWaiting: 4, targetDays: 120 });
    expect(document.curve[0]).toMatchObject({ day: 12, atRisk: 5 });
    expect(document.curve[0].stillWaiting).toBeCloseTo(0.8, 6);
  });

  it('shows where people wait now, options chosen, consent declined and court routes', async () => {
    const body = (await get(ACTORS.supervisor)).json();
    expect(body.waitingNow).toEqual([
      { programme: 'KZ', stage: 'documentation', waiting: 3, overdue: 1 },
      { programme: 'KZ', stage: 'placement', waiting: 3, overdue: 1 },
    ]);
    expect(body.placementOptions).toEqual([
      { programme: 'KZ', option: 'kinship', chosen: 1, placed: 1 },
      { programme: 'KZ', option: 'mother', chosen: 1, placed: 1 },
    ]);
    expect(body.consentDeclined).toEqual([{ programme: 'KZ', step: 'psychosocial.record-declined', people: 1 }]);
    expect(body.courtRoutes).toEqual([{ programme: 'KZ', step: 'documentation.file-guardianship-petition', people: 1 }]);
  });

  it('filters by date range, programme, operation, cohort, sex and age band', async () => {
    const all = (await get(ACTORS.supervisor)).json();
    expect(all.programmes.map((p: { programme: string }) => p.programme)).toEqual(['KZ', 'UZ']);
    expect((await get(ACTORS.supervisor, `?to=${daysAgo(300)}`)).json().programmes.map((p: { programme: string }) => p.programme)).toEqual(['UZ']);
    expect((await get(ACTORS.supervisor, '?programme=KZ&sex=male&cohort=2')).json().programmes[0].placement.people).toBe(1);
    expect((await get(ACTORS.supervisor, '?operation=Mehr')).json().programmes[0].placement).toMatchObject({ people: 1, reached: 1, medianDays: 100 });
    expect((await get(ACTORS.supervisor, '?ageBand=0-2')).json().programmes).toEqual([]);
  });

  it('counts only the caller\'s organisation\'s pathways; the oversight organisation\'s supervisors see all', async () => {
    const own = (await get(ACTORS.supervisor, '?programme=KZ')).json().programmes[0].placement;
    const all = (await get(OVERSIGHT, '?programme=KZ')).json().programmes[0].placement;
    expect(own.people).toBe(6);
    expect(all).toMatchObject({ people: 7, reached: 3 });
  });

  it('is for supervisors, and refuses bad filters with the fields at fault', async () => {
    expectProblem(await get(ACTORS.staff), 403, 'forbidden');
    expectProblem(await get(ACTORS.coordinator), 403, 'forbidden');
    for (const query of ['?from=yesterday', '?from=2021-02-30', '?sex=other', '?ageBand=7-9', '?cohort=first', `?from=${daysAgo(1)}&to=${daysAgo(10)}`, '?colour=red']) {
      expectProblem(await get(ACTORS.supervisor, query), 400, 'validation-failed');
    }
  });
});

describe('stage durations', () => {
  it('gives both the finished-only median and the Kaplan–Meier one that counts people still waiting', async () => {
    const { stages } = (await call(app, stack, ACTORS.supervisor, { method: 'GET', url: '/v1/reports/stage-durations' })).json();
    const placement = stages.find((s: { programme: string; stage: string }) => s.programme === 'KZ' && s.stage === 'placement');
    // Finished only: days 20 and 40. Counting the four still waiting, half are never placed in sight.
    expect(placement).toMatchObject({ completed: 2, medianDays: 30, waitingMedianDays: null, waitingP90Days: null });
    const uz = stages.find((s: { programme: string; stage: string }) => s.programme === 'UZ' && s.stage === 'placement');
    expect(uz).toMatchObject({ medianDays: 100, waitingMedianDays: 100 });
  });
});
