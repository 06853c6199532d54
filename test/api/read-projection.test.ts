// Reads answer from the view each pathway stores with its batches (issue 26): after every step of
// a whole journey, what PostgreSQL stores and what a read answers are the workflow's own state.
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PathwayView } from '../../src/domain/pathway.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { expectReadIsOwn, expectStoredIsOwn, storedView } from '../helpers/projection.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
// A day passes in under a millisecond: the periods, overdue stages and follow-up fire between steps.
useApiStack((s, a) => ((stack = s), (app = a)), { clockScale: 10_000_000 });

const ROLES: Actor[] = [ACTORS.staff, ACTORS.coordinator, ACTORS.supervisor, ACTORS.otherSupervisor];

const read = (actor: Actor, id: string, query = '') => async () => {
  const response = await call(app, stack, actor, { method: 'GET', url: `/v1/pathways/${id}${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

const PEOPLE = {
  KZ: () => person(31, ARRIVAL, { sex: 'female' }),
  UZ: () => person(10, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true }),
};

describe.each(Object.entries(PEOPLE))('a %s pathway driven to closure', (programme, who) => {
  it('stores its own state after every step, and every read and every action answers it', async () => {
    const opened = await call(app, stack, ACTORS.coordinator, {
      method: 'POST',
      url: '/v1/pathways',
      payload: { programme, operation: stack.templates.get(programme)!.operations[0]!.name, arrivalDate: ARRIVAL, person: who() },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const id: string = opened.json().id;
    let steps = 0;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      const own = await expectStoredIsOwn(stack, id);
      if (own.status === 'closed') break;
      let acted = false;
      for (const actor of ROLES) {
        const state = await expectReadIsOwn(stack, id, read(actor, id), actor);
        const next = state.availableActions.find((a) => a.routine);
        if (!next) continue;
        const response = await call(app, stack, actor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: next.type, payload: next.example } });
        acted = true;
        // Time may move the pathway on between reading the state and acting.
        if (response.statusCode !== 200) break;
        const answer = response.json();
        steps += 1;
        // The answer's state is at least the action's version: the sender reads their own write.
        expect(answer.state.version).toBeGreaterThanOrEqual(answer.version);
        const after = await read(actor, id, `?minVersion=${answer.version}`)();
        expect(after.version).toBeGreaterThanOrEqual(answer.version);
        break;
      }
      if (!acted) await sleep(20);
    }
    const closed = await expectStoredIsOwn(stack, id);
    expect(closed.status).toBe('closed');
    expect(steps).toBeGreaterThan(5);
  });
});

describe('a read', () => {
  it('answers from the stored view, asks the workflow for a newer version than stored, and refuses a malformed one', async () => {
    const opened = await call(app, stack, ACTORS.coordinator, {
      method: 'POST',
      url: '/v1/pathways',
      payload: { programme: 'KZ', operation: stack.templates.get('KZ')!.operations[0]!.name, arrivalDate: ARRIVAL, person: person(40, ARRIVAL) },
    });
    const id: string = opened.json().id;
    await expectStoredIsOwn(stack, id);
    // Marked in PostgreSQL only: a read that shows the mark was answered from there.
    await stack.db.pool.query(`update pathways set view = jsonb_set(view, '{notes}', '["marked in PostgreSQL"]') where id = $1`, [id]);
    const marked: PathwayView = await read(ACTORS.staff, id)();
    expect(marked.notes).toEqual(['marked in PostgreSQL']);
    // Asking for a version beyond the stored one asks the workflow, which has no mark.
    const stored = (await storedView(stack, id))!;
    const asked: PathwayView = await read(ACTORS.staff, id, `?minVersion=${stored.version + 1}`)();
    expect(asked.notes).not.toContain('marked in PostgreSQL');
    expect(asked.version).toBe(stored.version);
    for (const bad of ['', '0', '-1', 'x', '1.5', '99999999999']) {
      const response = await call(app, stack, ACTORS.staff, { method: 'GET', url: `/v1/pathways/${id}?minVersion=${bad}` });
      expectProblem(response, 400, 'validation-failed');
    }
  });
});
