import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { act, ACTORS, stateOf } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

const AKNIET: Actor = { id: 'coordinator-aida', role: 'coordinator', org: 'akniet' };
const OVERSIGHT: Actor = { id: 'supervisor-olga', role: 'supervisor', org: 'oversight' };
// An arrival of some days ago: the cohort is found again by its date, not by today's.
const ARRIVED = new Date(Date.now() - 9 * 86_400_000).toISOString().slice(0, 10);

/** Opens one arrival of Zhusan as `actor`; the ids in the order of `people`. */
async function cohort(actor: Actor, phase: string, people: { familyGroupId?: string; person: ReturnType<typeof person> }[]): Promise<string[]> {
  const response = await call(app, stack, actor, {
    method: 'POST',
    url: '/v1/cohorts',
    payload: { programme: 'KZ', operation: 'Zhusan', phase, arrivalDate: ARRIVED, people },
  });
  expect(response.statusCode).toBe(201);
  return response.json().pathways.map((p: { id: string }) => p.id);
}

let mother: string, children: string[], otherFamily: string[], alone: string, theirs: string[], laterPhase: string;

beforeAll(async () => {
  const family = (age: number, extra = {}) => ({ familyGroupId: 'F1', person: person(age, ARRIVED, extra) });
  [mother = '', ...children] = await cohort(ACTORS.coordinator, '2', [
    family(31, { sex: 'female', givenName: 'Madinakhon', familyName: 'Karimovaya' }),
    family(9, { sex: 'female', arrivedWith: 'mother' }),
    family(6, { sex: 'male', arrivedWith: 'mother' }),
    family(3, { sex: 'male', arrivedWith: 'mother' }),
    { person: person(40, ARRIVED, { sex: 'male' }) },
  ]);
  alone = children.pop()!;
  otherFamily = await cohort(ACTORS.coordinator, '2', [
    { familyGroupId: 'F2', person: person(27, ARRIVED, { sex: 'female' }) },
    { familyGroupId: 'F2', person: person(4, ARRIVED, { arrivedWith: 'mother' }) },
  ]);
  // The same group id in another organisation's arrival, and in another phase: other families.
  theirs = await cohort(AKNIET, '2', [{ familyGroupId: 'F1', person: person(35, ARRIVED, { sex: 'female' }) }]);
  [laterPhase = ''] = await cohort(ACTORS.coordinator, '3', [{ familyGroupId: 'F1', person: person(8, ARRIVED, { arrivedWith: 'siblings' }) }]);
  await stack.db.pool.query('update people set name_hidden = true where pathway_id = $1', [children[2]]);
  await act(stack.client, children[0]!, 'placement.choose-option', { option: 'mother', householdId: 'H-17' }, ACTORS.staff);
});

const family = (actor: Actor, id: string) => call(app, stack, actor, { method: 'GET', url: `/v1/pathways/${id}/family` });
const list = (query: string) => call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways?${query}` });
const ids = (response: { json(): any }) => response.json().items.map((i: { id: string }) => i.id).sort();

describe("a pathway's family group", () => {
  it("shows a child its mother and siblings, with names, stages and where each is placed", async () => {
    const response = await family(ACTORS.staff, children[1]!);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.group).toEqual({ id: 'F1', programme: 'KZ', operation: 'Zhusan', phase: '2', arrivalDate: ARRIVED });
    expect(body.notShown).toBe(0);
    // The mother first, then the children from the eldest.
    expect(body.members.map((m: { pathwayId: string; relation: string }) => [m.pathwayId, m.relation])).toEqual([
      [mother, 'mother'],
      [children[0], 'sibling'],
      [children[1], 'self'],
      [children[2], 'sibling'],
    ]);
    const [mum, eldest, , youngest] = body.members;
    expect(mum.person).toMatchObject({ name: expect.stringMatching(/^Karimovaya Madinakhon/), nameHidden: false, age: 31 });
    expect(mum).toMatchObject({ isChild: false, sex: 'female', arrivedWith: 'adult', status: 'active', currentStage: expect.any(String), placement: null });
    expect(eldest.placement).toEqual({ option: 'mother', householdId: 'H-17', approved: false });
    expect(youngest.person).toMatchObject({ nameHidden: true, name: expect.stringMatching(/^\p{L}\. \p{L}\.$/u) });
    for (const member of body.members) expect(member.currentStage).toMatch(/^[a-zA-Z]+$/);
  });

  it('shows a placement as a correction left it', async () => {
    const offered = (await stateOf(stack.client, children[0]!)).availableActions.find((a) => a.type === 'correction')!;
    const example = offered.example as { entry: number; version: number };
    await act(stack.client, children[0]!, 'correction', { ...example, payload: { option: 'kinship', householdId: 'H-18' }, reason: 'recording-error' }, ACTORS.supervisor);
    await expect.poll(async () => (await family(ACTORS.staff, mother)).json().members[1].placement).toEqual({ option: 'kinship', householdId: 'H-18', approved: false });
  });

  it("shows the mother her children, and nobody of another family, organisation or phase", async () => {
    const body = (await family(ACTORS.coordinator, mother)).json();
    expect(body.members.map((m: { relation: string }) => m.relation)).toEqual(['self', 'child', 'child', 'child']);
    const everyone = body.members.map((m: { pathwayId: string }) => m.pathwayId);
    for (const id of [...otherFamily, ...theirs, laterPhase, alone]) expect(everyone).not.toContain(id);
    expect((await family(ACTORS.coordinator, otherFamily[1]!)).json().members.map((m: { relation: string }) => m.relation)).toEqual(['mother', 'self']);
    const single = (await family(ACTORS.coordinator, alone)).json();
    expect(single).toMatchObject({ group: null, notShown: 0 });
    expect(single.members.map((m: { relation: string }) => m.relation)).toEqual(['self']);
  });

  it("is not found by another organisation's reader, whose own group of the same id holds only theirs", async () => {
    expectProblem(await family(AKNIET, children[0]!), 404, 'not-found');
    const own = (await family(AKNIET, theirs[0]!)).json();
    expect(own.members.map((m: { pathwayId: string }) => m.pathwayId)).toEqual(theirs);
    expect(own.notShown).toBe(0);
  });

  it('shows oversight the group, and logs one family read per member shown', async () => {
    const response = await family(OVERSIGHT, children[0]!);
    expect(response.json().members).toHaveLength(4);
    const { rows } = await stack.db.pool.query(
      `select pathway_id as id, via from access_log where what = 'family' and request_id = $1 and actor_id = $2 order by pathway_id`,
      [await lastRequest(OVERSIGHT), OVERSIGHT.id],
    );
    expect(rows.map((r) => r.id).sort()).toEqual([mother, ...children].sort());
    expect(new Set(rows.map((r) => r.via))).toEqual(new Set(['oversight']));
  });

  it('answers 404 for a pathway that does not exist, as for one the reader may not see', async () => {
    expectProblem(await family(ACTORS.staff, '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
    expectProblem(await family(ACTORS.staff, 'not-a-pathway'), 404, 'not-found');
  });
});

/** The request id of the actor's latest family read. */
async function lastRequest(actor: Actor): Promise<string> {
  const { rows } = await stack.db.pool.query(`select request_id from access_log where actor_id = $1 and what = 'family' order by id desc limit 1`, [actor.id]);
  return rows[0].request_id;
}

describe('finding a cohort again', () => {
  it('filters the pathways list by phase, arrival date and family group', async () => {
    const arrival = [mother, ...children, alone, ...otherFamily].sort();
    expect(ids(await list(`operation=Zhusan&phase=2&arrivalDate=${ARRIVED}`))).toEqual(arrival);
    expect(ids(await list(`phase=3&arrivalDate=${ARRIVED}`))).toEqual([laterPhase]);
    expect(ids(await list(`familyGroup=F1&phase=2`))).toEqual([mother, ...children].sort());
    expect(ids(await list(`familyGroup=F2`))).toEqual([...otherFamily].sort());
    expect(ids(await list('arrivalDate=2001-01-01'))).toEqual([]);
  });

  it('pages a filtered list with its cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await list(`phase=2&arrivalDate=${ARRIVED}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([mother, ...children, alone, ...otherFamily].sort());
  });

  it('refuses filter values that are none with 400 naming the field', async () => {
    for (const [query, field] of [['phase=two', 'phase'], ['arrivalDate=2026-02-30', 'arrivalDate'], ['arrivalDate=yesterday', 'arrivalDate'], ['familyGroup=F%201', 'familyGroup']]) {
      const body = expectProblem(await list(query!), 400, 'validation-failed');
      expect(JSON.stringify(body)).toContain(field);
    }
  });
});

describe('members the reader may not read', () => {
  it('are counted, not shown: a child moved to another organisation leaves its mother a count', async () => {
    await act(stack.client, otherFamily[1]!, 'pathway.reassign', { organisations: ['akniet'] }, ACTORS.supervisor);
    await expect
      .poll(async () => (await stack.db.pool.query('select organisation from pathway_organisations where pathway_id = $1', [otherFamily[1]])).rows.map((r) => r.organisation))
      .toEqual(['akniet']);
    const mine = (await family(ACTORS.coordinator, otherFamily[0]!)).json();
    expect(mine.members.map((m: { pathwayId: string }) => m.pathwayId)).toEqual([otherFamily[0]]);
    expect(mine.notShown).toBe(1);
    expectProblem(await family(ACTORS.coordinator, otherFamily[1]!), 404, 'not-found');
    const theirs = (await family(AKNIET, otherFamily[1]!)).json();
    expect(theirs.members.map((m: { pathwayId: string; relation: string }) => [m.pathwayId, m.relation])).toEqual([[otherFamily[1], 'self']]);
    expect(theirs.notShown).toBe(1);
    // Nothing of the member not shown reaches the access log.
    const { rows } = await stack.db.pool.query(`select count(*)::int as n from access_log where what = 'family' and actor_id = $1 and pathway_id = $2`, [AKNIET.id, otherFamily[0]]);
    expect(rows[0].n).toBe(0);
  });
});
