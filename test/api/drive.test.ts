import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PathwayView } from '../../src/domain/pathway.js';
import { forActor } from '../../src/pathways/read.js';
import { call, useApiStack } from '../helpers/api.js';
import { acceptedUpdates } from '../helpers/history.js';
import { ACTORS, ARRIVAL, stateOf } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)), { clockScale: 10_000_000 });

// Who acts, in order of preference; supervisors last, and two of them for the four-eyes rule.
const ROLES: Actor[] = [ACTORS.staff, ACTORS.coordinator, ACTORS.supervisor, ACTORS.otherSupervisor];

async function stateAs(actor: Actor, id: string): Promise<PathwayView> {
  const response = await call(app, stack, actor, { method: 'GET', url: `/v1/pathways/${id}` });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** Drives a pathway to closure over HTTP, using nothing but GET and each caller's availableActions. */
async function driveOverHttp(id: string): Promise<string[]> {
  const sent: string[] = [];
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    let acted = false;
    for (const actor of ROLES) {
      const state = await stateAs(actor, id);
      if (state.status === 'closed') return sent;
      const next = state.availableActions.find((a) => a.routine);
      if (!next) continue;
      const response = await call(app, stack, actor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: next.type, payload: next.example } });
      if (response.statusCode === 200) sent.push(next.type);
      else expect(response.json().reason, response.body).toMatch(/wrong-stage|not-due|missing-prerequisite/);
      acted = true;
      break;
    }
    if (!acted) await sleep(50);
  }
  throw new Error(`pathway ${id} not closed in time`);
}

const PEOPLE = {
  KZ: () => person(31, ARRIVAL),
  UZ: () => person(10, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true }),
  KG: () => person(7, ARRIVAL, { arrivedWith: 'siblings' }),
  TJ: () => person(13, ARRIVAL, { arrivedWith: 'orphan' }),
};

describe.each(Object.entries(PEOPLE))('a %s pathway over HTTP', (programme, who) => {
  it('goes from POST /v1/pathways to closure through availableActions, and its history matches Temporal', async () => {
    const opened = await call(app, stack, ACTORS.coordinator, {
      method: 'POST',
      url: '/v1/pathways',
      payload: { programme, operation: stack.templates.get(programme)!.operations[0]!.name, arrivalDate: ARRIVAL, person: who() },
    });
    expect(opened.statusCode).toBe(201);
    const id = opened.json().id;
    const sent = await driveOverHttp(id);
    const final = await stateAs(ACTORS.supervisor, id);
    expect(final).toMatchObject({ status: 'closed', closure: { reason: 'completed' } });
    // A closed pathway is answered from the state stored when it closed: the same its workflow gives.
    const { record, ...shown } = final as PathwayView & { record: unknown };
    expect(record).toBeDefined();
    expect(shown).toEqual(forActor(await stateOf(stack.client, id), ACTORS.supervisor));

    const history = await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${id}/history` });
    const entries = history.json().entries as { seq: number; kind: string; type: string; actor: { id: string; role: string; org: string } | null; occurredAt: string }[];
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries[0]).toMatchObject({ type: 'pathway.opened', actor: { id: ACTORS.coordinator.id, role: 'coordinator', org: 'mlsp' } });
    const actions = entries.filter((e) => e.kind === 'action');
    expect(actions.map((e) => e.type)).toEqual(sent);
    expect(actions.every((e) => e.actor && e.occurredAt)).toBe(true);
    expect(actions.at(-1)).toMatchObject({ type: 'pathway.close', actor: { role: 'supervisor' } });
    expect(await acceptedUpdates(stack.client, id)).toBe(actions.length);
  });
});

describe('two people acting at the same moment', () => {
  it('lets exactly one of two conflicting actions win; the other gets 409', async () => {
    const opened = await call(app, stack, ACTORS.coordinator, {
      method: 'POST',
      url: '/v1/pathways',
      payload: { programme: 'KZ', operation: 'Zhusan', phase: '2', arrivalDate: ARRIVAL, person: person(27, ARRIVAL) },
    });
    const url = `/v1/pathways/${opened.json().id}/actions`;
    const [first, second] = await Promise.all([
      call(app, stack, ACTORS.staff, { method: 'POST', url, payload: { type: 'security.record-outcome', payload: { outcome: 'cleared' } } }),
      call(app, stack, ACTORS.otherStaff, { method: 'POST', url, payload: { type: 'security.record-outcome', payload: { outcome: 'charged' } } }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    const loser = first.statusCode === 409 ? first : second;
    // Whichever outcome won, the other found the screening already decided.
    expect(loser.json()).toMatchObject({ reason: 'wrong-stage', detail: expect.stringMatching(/^The security (screening outcome is already recorded|stage is already done)\.$/) });
  });
});
