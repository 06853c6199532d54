import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { act, ACTORS, ARRIVAL, stateOf, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
// A template day in 8.64 ms: the minimum quarantine passes within a second.
useApiStack((s, a) => ((stack = s), (app = a)), { clockScale: 10_000_000 });

interface Result {
  pathwayId: string;
  actionId: string;
  status: 'done' | 'refused' | 'failed';
  applied?: boolean;
  version?: number;
  problem?: { status: number; code: string; reason?: string; detail: string; title: string };
}

const bulk = (actor: Actor, items: object[]) => call(app, stack, actor, { method: 'POST', url: '/v1/bulk-actions', payload: { items } });
const results = (response: { statusCode: number; body: string; json(): any }): Result[] => {
  expect(response.statusCode, response.body).toBe(200);
  return response.json().results;
};

/** Five families of a mother and three children: one arrival, as a cohort lands. */
async function openCohort(phase: string): Promise<string[]> {
  const people = Array.from({ length: 20 }, (_, i) => ({
    familyGroupId: `B${phase}-${Math.floor(i / 4)}`,
    person: i % 4 === 0 ? person(30 + i, ARRIVAL, { sex: 'female' }) : person(3 + (i % 12), ARRIVAL, { arrivedWith: 'mother' }),
  }));
  const response = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts', payload: { programme: 'KZ', operation: 'Zhusan', phase, arrivalDate: ARRIVAL, people } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().pathways.map((p: { id: string }) => p.id);
}

/** Screened and questioned, as quarantine's release needs; `notCleared` left without a medical result. */
async function readyForRelease(ids: string[], notCleared?: string) {
  await Promise.all(
    ids.map(async (id) => {
      if (id !== notCleared) await act(stack.client, id, 'medical.record-screening', { result: 'cleared' }, ACTORS.staff);
      const state = await stateOf(stack.client, id);
      if (state.stages.find((s) => s.stage === 'security')?.status !== 'skipped') {
        await act(stack.client, id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.staff);
      }
      if (id !== notCleared) await waitFor(stack.client, id, (s) => s.availableActions.some((a) => a.type === 'quarantine.release'));
    }),
  );
}

/** The actions of a pathway's audit trail, as a supervisor reads it. */
async function trail(id: string): Promise<{ type: string; actionId: string | null }[]> {
  const response = await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${id}/history` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().entries.filter((e: { kind: string }) => e.kind === 'action');
}

describe('a cohort released from quarantine together', () => {
  let ids: string[];
  let notCleared: string;
  beforeAll(async () => {
    ids = await openCohort('4');
    notCleared = ids[13]!;
    await readyForRelease(ids, notCleared);
  });

  it('releases 19, refuses the one medical screening has not cleared with its reason, and records each release once', async () => {
    const items = ids.map((pathwayId) => ({ pathwayId, actionId: randomUUID(), type: 'quarantine.release', payload: {} }));
    const first = results(await bulk(ACTORS.staff, items));
    expect(first.map((r) => [r.pathwayId, r.actionId])).toEqual(items.map((i) => [i.pathwayId, i.actionId]));
    expect(first.filter((r) => r.status === 'done')).toHaveLength(19);
    const refused = first.filter((r) => r.status === 'refused');
    expect(refused.map((r) => r.pathwayId)).toEqual([notCleared]);
    // The same problem a single action gets: code, reason and the pathway's own words.
    expect(refused[0]!.problem).toMatchObject({ status: 409, code: 'action-refused', reason: 'missing-prerequisite', type: '/problems/action-refused' });
    expect(refused[0]!.problem!.detail).toMatch(/medical screening has not cleared the person/);
    for (const done of first.filter((r) => r.status === 'done')) expect(done).toMatchObject({ applied: true, version: expect.any(Number) });

    for (const id of ids) {
      const released = (await stateOf(stack.client, id)).stages.find((s) => s.stage === 'quarantine')!.status === 'done';
      expect(released, id).toBe(id !== notCleared);
    }
    const releases = async (id: string) => (await trail(id)).filter((e) => e.type === 'quarantine.release');
    for (const [index, id] of ids.entries()) {
      const expected = id === notCleared ? [] : [{ type: 'quarantine.release', actionId: items[index]!.actionId }];
      await expect.poll(async () => (await releases(id)).map((e) => ({ type: e.type, actionId: e.actionId })), { timeout: 20_000 }).toEqual(expected);
    }

    // The same request again (an answer lost on the way): nothing is recorded twice.
    const before = await Promise.all(ids.map(async (id) => (await trail(id)).length));
    const again = results(await bulk(ACTORS.staff, items));
    expect(again.filter((r) => r.status === 'done').map((r) => r.applied)).toEqual(Array(19).fill(false));
    expect(again.find((r) => r.pathwayId === notCleared)).toMatchObject({ status: 'refused', problem: { reason: 'missing-prerequisite' } });
    expect(again.filter((r) => r.status === 'done').map((r) => r.version)).toEqual(first.filter((r) => r.status === 'done').map((r) => r.version));
    expect(await Promise.all(ids.map(async (id) => (await trail(id)).length))).toEqual(before);
    for (const id of ids) expect(await releases(id)).toHaveLength(id === notCleared ? 0 : 1);
  });

  it("answers each item for the caller's role and organisation, as a single action would", async () => {
    const [one, two] = ids;
    const coordinator = results(await bulk(ACTORS.coordinator, [{ pathwayId: one, actionId: randomUUID(), type: 'quarantine.release' }]));
    expect(coordinator[0]).toMatchObject({ status: 'refused', problem: { status: 403, code: 'forbidden', reason: 'wrong-role' } });
    const elsewhere: Actor = { id: 'staff-olga', role: 'staff', org: 'pravo' };
    const other = results(await bulk(elsewhere, [{ pathwayId: two, actionId: randomUUID(), type: 'quarantine.release' }]));
    expect(other[0]).toMatchObject({ status: 'refused', problem: { status: 404, code: 'not-found' } });
    const unknown = results(await bulk(ACTORS.staff, [{ pathwayId: randomUUID(), actionId: randomUUID(), type: 'pathway.claim' }]));
    expect(unknown[0]).toMatchObject({ status: 'refused', problem: { status: 404, code: 'not-found' } });
  });
});

describe('a selection claimed or assigned together', () => {
  let ids: string[];
  beforeAll(async () => {
    ids = (await openCohort('5')).slice(0, 5);
    await Promise.all(ids.map((id) => waitFor(stack.client, id, (s) => s.version >= 1)));
  });

  it('lets staff claim several pathways at once, and a coordinator assign them to a colleague who has signed in', async () => {
    const claimed = results(await bulk(ACTORS.staff, ids.slice(0, 2).map((pathwayId) => ({ pathwayId, actionId: randomUUID(), type: 'pathway.claim', payload: {} }))));
    expect(claimed.map((r) => r.status)).toEqual(['done', 'done']);
    for (const id of ids.slice(0, 2)) expect((await stateOf(stack.client, id)).assignments?.pathway).toMatchObject({ assignee: ACTORS.staff.id, org: 'mlsp' });

    await call(app, stack, ACTORS.otherStaff, { method: 'GET', url: '/v1/worklist' });
    const assign = (pathwayId: string) => ({ pathwayId, actionId: randomUUID(), type: 'pathway.assign', payload: { assignee: ACTORS.otherStaff.id, org: 'mlsp' } });
    const assigned = results(await bulk(ACTORS.coordinator, ids.map(assign)));
    expect(assigned.map((r) => r.status)).toEqual(Array(5).fill('done'));
    for (const id of ids) expect((await stateOf(stack.client, id)).assignments?.pathway).toMatchObject({ assignee: ACTORS.otherStaff.id });

    // Someone who never signed in is refused per item, with the field at fault, as one action would be.
    const nobody = results(await bulk(ACTORS.coordinator, [{ ...assign(ids[0]!), payload: { assignee: 'staff-nobody', org: 'mlsp' } }]));
    expect(nobody[0]).toMatchObject({ status: 'refused', problem: { status: 400, code: 'validation-failed', fields: [{ path: 'payload.assignee' }] } });
  });
});

describe('a bulk request that is not valid', () => {
  const item = () => ({ pathwayId: randomUUID(), actionId: randomUUID(), type: 'pathway.claim' });

  it('is refused whole (400) when two items share an actionId, one has none, or there are too many or none', async () => {
    const twice = item();
    const repeated = expectProblem(await bulk(ACTORS.staff, [twice, { ...item(), actionId: twice.actionId }]), 400, 'validation-failed');
    expect(repeated.fields).toEqual([expect.objectContaining({ path: 'body.items.1.actionId' })]);
    const { actionId: _, ...withoutId } = item();
    expect(expectProblem(await bulk(ACTORS.staff, [withoutId]), 400, 'validation-failed').fields[0].path).toBe('body.items.0.actionId');
    expectProblem(await bulk(ACTORS.staff, [{ ...item(), actionId: 'not-a-uuid' }]), 400, 'validation-failed');
    expectProblem(await bulk(ACTORS.staff, [{ ...item(), type: 'quarantine.escape' }]), 400, 'validation-failed');
    expectProblem(await bulk(ACTORS.staff, Array.from({ length: 201 }, item)), 400, 'validation-failed');
    expectProblem(await bulk(ACTORS.staff, []), 400, 'validation-failed');
  });
});
