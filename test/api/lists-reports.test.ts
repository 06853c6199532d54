import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL, completeStages, openDeps, waitFor } from '../helpers/pathways.js';
import { person, personalValues } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { openPathways } from '../../src/pathways/open.js';

let stack: TestStack;
let app: FastifyInstance;
let ids: string[];

beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000 });
  app = await startTestApi(stack);
  const arrivals = [
    { programme: 'KZ', who: person(30, ARRIVAL, { sex: 'female' }) },
    { programme: 'KZ', who: person(41, ARRIVAL, { sex: 'male' }) },
    { programme: 'KZ', who: person(6, ARRIVAL, { arrivedWith: 'mother' }) },
    { programme: 'UZ', who: person(9, ARRIVAL, { arrivedWith: 'mother' }) },
    { programme: 'KG', who: person(5, ARRIVAL, { arrivedWith: 'siblings' }) },
  ];
  const opened = await openPathways(
    openDeps(stack),
    ACTORS.coordinator,
    arrivals.map(({ programme, who }) => ({ request: { programme, operation: stack.templates.get(programme)!.operations[0]!.name, arrivalDate: ARRIVAL, person: who }, fieldPrefix: '' })),
  );
  ids = opened.map((o) => o.id);
  await Promise.all(ids.map((id) => completeStages(stack.client, id, ['medical', 'security', 'quarantine'])));
  await Promise.all(ids.map((id) => waitFor(stack.client, id, (s) => s.stages.some((st) => st.stage === 'quarantine' && st.status === 'done'))));
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const list = (query: string) => call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways${query}` });

describe('listing pathways', () => {
  it('filters by programme, operation, stage and status, with categories and who each pathway is for', async () => {
    const kz = (await list('?programme=KZ')).json();
    expect(kz.items).toHaveLength(3);
    expect(kz.items[0]).toEqual(expect.objectContaining({ programme: 'KZ', operation: 'Zhusan', status: 'active', ageBand: expect.any(String) }));
    // Newest first, opened together: the person is named with the categories (test/api/names.test.ts has the rest).
    expect(kz.items.map((i: { person: { age: number } }) => i.person.age).sort()).toEqual([30, 41, 6].sort());
    for (const item of kz.items) expect(item.person.name).toMatch(/^\S+ \S+ \S+$/);
    expect((await list('?operation=Mehr')).json().items.map((i: { id: string }) => i.id)).toEqual([ids[3]]);
    expect((await list('?stage=quarantine')).json().items).toHaveLength(0);
    expect((await list('?status=closed')).json().items).toHaveLength(0);
    expect((await list('?programme=KG&status=active')).json().items).toHaveLength(1);
  });

  it('pages with a cursor, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
  });
});

describe('reports', () => {
  it('counts people by programme as men, women and children, and by current stage', async () => {
    const caseload = (await call(app, stack, ACTORS.supervisor, { method: 'GET', url: '/v1/reports/caseload' })).json();
    expect(caseload.programmes).toEqual([
      { programme: 'KG', men: 0, women: 0, children: 1, total: 1, open: 1 },
      { programme: 'KZ', men: 1, women: 1, children: 1, total: 3, open: 3 },
      { programme: 'UZ', men: 0, women: 0, children: 1, total: 1, open: 1 },
    ]);
    expect(caseload.byCurrentStage.reduce((n: number, row: { people: number }) => n + row.people, 0)).toBe(5);
  });

  it('gives the median and 90th percentile time per stage, and what is overdue now', async () => {
    const { stages } = (await call(app, stack, ACTORS.supervisor, { method: 'GET', url: '/v1/reports/stage-durations' })).json();
    const quarantine = stages.find((s: { programme: string; stage: string }) => s.programme === 'KZ' && s.stage === 'quarantine');
    expect(quarantine).toMatchObject({ completed: 3, inProgress: 0 });
    expect(quarantine.medianDays).toBeGreaterThan(0);
    expect(quarantine.p90Days).toBeGreaterThanOrEqual(quarantine.medianDays);
    const placement = stages.find((s: { programme: string; stage: string }) => s.programme === 'KZ' && s.stage === 'placement');
    expect(placement).toMatchObject({ completed: 0, medianDays: null, inProgress: 1 });
    for (const value of personalValues()) expect(JSON.stringify(stages)).not.toContain(value);
  });
});
