import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, startTestApi } from '../helpers/api.js';
import { ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
let pathwayId: string;

const own = {
  coordinator: { id: 'cora', role: 'coordinator', org: 'mlsp' },
  staff: { id: 'sam', role: 'staff', org: 'mlsp' },
  supervisor: { id: 'sue', role: 'supervisor', org: 'mlsp' },
} satisfies Record<string, Actor>;
const other = {
  coordinator: { id: 'otto', role: 'coordinator', org: 'pravo' },
  staff: { id: 'olga', role: 'staff', org: 'pravo' },
  supervisor: { id: 'oleg', role: 'supervisor', org: 'pravo' },
} satisfies Record<string, Actor>;
const oversight: Actor = { id: 'ombudsman', role: 'supervisor', org: 'oversight' };

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  const opened = await call(app, stack, own.coordinator, {
    method: 'POST',
    url: '/v1/pathways',
    payload: { programme: 'UZ', operation: 'Mehr', phase: '3', arrivalDate: ARRIVAL, person: person(31, ARRIVAL) },
  });
  pathwayId = opened.json().id;
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const read = (actor: Actor) => call(app, stack, actor, { method: 'GET', url: `/v1/pathways/${pathwayId}` });
const history = (actor: Actor) => call(app, stack, actor, { method: 'GET', url: `/v1/pathways/${pathwayId}/history` });
const accessLog = (actor: Actor) => call(app, stack, actor, { method: 'GET', url: `/v1/pathways/${pathwayId}/access-log` });
const assess = (actor: Actor) =>
  call(app, stack, actor, { method: 'POST', url: `/v1/pathways/${pathwayId}/actions`, payload: { type: 'psychosocial.record-assessment', payload: { psychological: 'low', social: 'low' } } });
const listed = async (actor: Actor) => (await call(app, stack, actor, { method: 'GET', url: '/v1/pathways' })).json().items.some((i: { id: string }) => i.id === pathwayId);
const counted = async (actor: Actor) => (await call(app, stack, actor, { method: 'GET', url: '/v1/reports/caseload' })).json().programmes.length;
const timed = async (actor: Actor) => (await call(app, stack, actor, { method: 'GET', url: '/v1/reports/stage-durations' })).json().stages.length;

describe('organisation scoping', () => {
  it("shows a pathway to its organisation's people and answers 404 to everyone else's", async () => {
    for (const actor of Object.values(own)) expect((await read(actor)).statusCode).toBe(200);
    for (const actor of Object.values(other)) {
      const response = await read(actor);
      expect(response.statusCode).toBe(404);
      expect(response.json().detail).toBe('There is no pathway with this id.');
    }
    expect((await read(oversight)).statusCode).toBe(200);
  });

  it("lets only the pathway's organisation act on it; oversight reads but does not act", async () => {
    expect((await assess(other.staff)).statusCode).toBe(404);
    expect((await assess(other.supervisor)).statusCode).toBe(404);
    const forbidden = await assess(oversight);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('forbidden');
    expect((await assess(own.staff)).statusCode).toBe(200);
  });

  it('scopes history, access log, lists and reports the same way', async () => {
    expect((await history(own.supervisor)).statusCode).toBe(200);
    expect((await history(other.supervisor)).statusCode).toBe(404);
    expect((await history(oversight)).statusCode).toBe(200);
    expect((await accessLog(own.supervisor)).statusCode).toBe(200);
    expect((await accessLog(other.supervisor)).statusCode).toBe(404);
    expect((await accessLog(oversight)).statusCode).toBe(200);
    expect(await listed(own.coordinator)).toBe(true);
    expect(await listed(own.supervisor)).toBe(true);
    expect(await listed(other.coordinator)).toBe(false);
    expect(await listed(oversight)).toBe(true);
    expect(await counted(own.supervisor)).toBe(1);
    expect(await counted(other.supervisor)).toBe(0);
    expect(await counted(oversight)).toBe(1);
    expect(await timed(own.supervisor)).toBeGreaterThan(0);
    expect(await timed(other.supervisor)).toBe(0);
  });

  it("opens pathways and cohorts in the coordinator's own organisation", async () => {
    const single = await call(app, stack, other.coordinator, {
      method: 'POST',
      url: '/v1/pathways',
      payload: { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: person(8, ARRIVAL, { arrivedWith: 'siblings' }) },
    });
    const cohort = await call(app, stack, other.coordinator, {
      method: 'POST',
      url: '/v1/cohorts',
      payload: { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, people: [{ person: person(6, ARRIVAL, { arrivedWith: 'siblings' }) }] },
    });
    for (const id of [single.json().id, cohort.json().pathways[0].id]) {
      expect((await call(app, stack, other.staff, { method: 'GET', url: `/v1/pathways/${id}` })).json().organisations).toEqual(['pravo']);
      expect((await call(app, stack, own.staff, { method: 'GET', url: `/v1/pathways/${id}` })).statusCode).toBe(404);
    }
  });

  it('moves with a reassignment, which only a supervisor of the pathway makes and the history records', async () => {
    const reassign = (actor: Actor) =>
      call(app, stack, actor, { method: 'POST', url: `/v1/pathways/${pathwayId}/actions`, payload: { type: 'pathway.reassign', payload: { organisations: ['mlsp', 'pravo'] } } });
    expect((await reassign(other.supervisor)).statusCode).toBe(404);
    expect((await reassign(own.staff)).statusCode).toBe(403);
    const done = await reassign(own.supervisor);
    expect(done.statusCode).toBe(200);
    expect(done.json().state.organisations).toEqual(['mlsp', 'pravo']);

    for (const actor of Object.values(other)) expect((await read(actor)).statusCode).toBe(200);
    expect(await listed(other.coordinator)).toBe(true);
    const entries = (await history(other.supervisor)).json().entries;
    expect(entries.at(-1)).toMatchObject({ type: 'pathway.reassign', actor: { id: 'sue', role: 'supervisor', org: 'mlsp' }, outcome: { organisations: ['mlsp', 'pravo'] } });
  });
});
