import type { FastifyInstance } from 'fastify';
import { workflowIdOf } from '../../src/domain/model.js';
import { describe, expect, it } from 'vitest';
import { call, useApiStack } from '../helpers/api.js';
import { forActor } from '../../src/pathways/read.js';
import { ACTORS, ARRIVAL, stateOf, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

const { coordinator, staff } = ACTORS;
const arrival = { programme: 'KZ', operation: 'Zhusan', phase: '3', arrivalDate: ARRIVAL };
const mother = () => ({ familyGroupId: 'family-7', person: person(31, ARRIVAL) });
const child = (age: number) => ({ familyGroupId: 'family-7', person: person(age, ARRIVAL, { arrivedWith: 'mother' }) });

async function auditTypes(pathwayId: string): Promise<string[]> {
  const { rows } = await stack.db.pool.query<{ type: string }>('select type from audit_entries where pathway_id = $1 order by seq', [pathwayId]);
  return rows.map((row) => row.type);
}

/** Group news a pathway's workflow received as signals: members opened together send none. */
async function signalsReceived(pathwayId: string): Promise<number> {
  const history = await stack.client.workflow.getHandle(workflowIdOf(pathwayId)).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes).length;
}

async function stateReads(pathwayId: string): Promise<number> {
  const { rows } = await stack.db.pool.query("select count(*)::int as n from access_log where pathway_id = $1 and what = 'state'", [pathwayId]);
  return rows[0].n;
}

describe('family groups opened together and later', () => {
  it('know each other from the start, and a later member is announced to the earlier ones', async () => {
    const cohort = await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload: { ...arrival, people: [mother(), child(9), child(4)] } });
    expect(cohort.statusCode).toBe(201);
    const ids: string[] = cohort.json().pathways.map((p: { id: string }) => p.id);
    for (const id of ids) {
      const state = await waitFor(stack.client, id, (s) => s.version >= 1);
      expect(state.familyGroup?.members.map((m) => m.pathwayId).sort()).toEqual(ids.filter((other) => other !== id).sort());
      expect(await signalsReceived(id)).toBe(0);
    }

    // A baby registered a week later joins the same family of the same arrival.
    const baby = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: { ...arrival, ...child(1) } });
    expect(baby.statusCode).toBe(201);
    const babyId: string = baby.json().id;
    const joined = await waitFor(stack.client, babyId, (s) => (s.familyGroup?.members.length ?? 0) === 3);
    expect(joined.familyGroup?.members.find((m) => m.pathwayId === ids[0])?.isChild).toBe(false);
    for (const id of ids) {
      await waitFor(stack.client, id, (s) => s.familyGroup?.members.some((m) => m.pathwayId === babyId) ?? false);
      // Only the newcomer is news in the trail: the members opened together were known all along.
      await expect.poll(() => auditTypes(id)).toContain('group.member-joined');
      expect((await auditTypes(id)).filter((type) => type === 'group.member-joined')).toHaveLength(1);
      expect(await signalsReceived(id)).toBe(1);
    }
  });
});

describe('Prefer: return=minimal', () => {
  it('answers an opening and an action without the state, which is then neither read nor logged', async () => {
    const headers = { prefer: 'return=minimal' };
    const opened = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: { ...arrival, ...child(8) }, headers });
    expect(opened.statusCode).toBe(201);
    expect(opened.headers['preference-applied']).toBe('return=minimal');
    expect(opened.json()).toEqual({ id: expect.any(String) });
    const id: string = opened.json().id;
    await waitFor(stack.client, id, (s) => s.version >= 1);
    const url = `/v1/pathways/${id}/actions`;

    const spelled = { prefer: 'respond-async, Return = "minimal"; foo=bar' };
    const minimal = await call(app, stack, staff, { method: 'POST', url, payload: { type: 'medical.record-screening', payload: { result: 'cleared' } }, headers: spelled });
    expect(minimal.statusCode).toBe(200);
    expect(minimal.headers['preference-applied']).toBe('return=minimal');
    expect(minimal.json()).toEqual({ actionId: expect.any(String), applied: true, version: 2 });
    expect(await stateReads(id)).toBe(0);

    // Without the preference the new state comes back, and its read is logged.
    const next = (await stateOf(stack.client, id)).availableActions.find((a) => a.routine && a.roles.includes('staff'))!;
    const full = await call(app, stack, staff, { method: 'POST', url, payload: { type: next.type, payload: next.example } });
    expect(full.statusCode, full.body).toBe(200);
    expect(full.json().state.version).toBe(full.json().version);
    // The state comes with the pathway's answer to the action: the same as reading it afterwards.
    expect(full.json().state).toEqual(forActor(await stateOf(stack.client, id), staff));
    expect(await stateReads(id)).toBe(1);
  });
});
