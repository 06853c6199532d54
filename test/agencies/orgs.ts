import type { FastifyInstance, InjectOptions } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, useApiStack } from '../helpers/api.js';
import { ACTORS } from '../helpers/pathways.js';
import type { TestStack } from '../helpers/stack.js';

/**
 * Organisations of the development directory on one person: the ministry that opened the pathway
 * (the people every other test acts as), two NGOs and a hospital.
 */
export const MLSP = ACTORS;
export const PRAVO = {
  coordinator: { id: 'coordinator-pia', role: 'coordinator', org: 'pravo' },
  staff: { id: 'staff-pavel', role: 'staff', org: 'pravo' },
  otherStaff: { id: 'staff-petra', role: 'staff', org: 'pravo' },
  supervisor: { id: 'supervisor-polina', role: 'supervisor', org: 'pravo' },
} satisfies Record<string, Actor>;
export const AKNIET = {
  coordinator: { id: 'coordinator-aida', role: 'coordinator', org: 'akniet' },
  staff: { id: 'staff-arman', role: 'staff', org: 'akniet' },
  supervisor: { id: 'supervisor-asel', role: 'supervisor', org: 'akniet' },
} satisfies Record<string, Actor>;
export const CLINIC = {
  coordinator: { id: 'coordinator-kamila', role: 'coordinator', org: 'clinic' },
  staff: { id: 'staff-kemal', role: 'staff', org: 'clinic' },
  supervisor: { id: 'supervisor-karim', role: 'supervisor', org: 'clinic' },
} satisfies Record<string, Actor>;

/** The API as one actor: reads and actions on pathways, answers as they come. */
export function apiAs(app: FastifyInstance, stack: TestStack) {
  return apiOn(() => ({ app, stack }));
}

/**
 * The stack and API one test file runs on, started before its tests and stopped after them, as
 * `apiAs` gives it; `api.stack` is the stack. Usable from the file's top level: nothing is read
 * until a test or hook sends a request.
 */
export function useAgencies(options: Parameters<typeof useApiStack>[1] = {}) {
  let started: Running | undefined;
  useApiStack((stack, app) => {
    started = { app, stack };
  }, options);
  return apiOn(() => {
    if (!started) throw new Error('the stack starts in beforeAll: use it in tests and hooks');
    return started;
  });
}

type Running = { app: FastifyInstance; stack: TestStack };

function apiOn(running: () => Running) {
  const send = (actor: Actor, options: InjectOptions) => {
    const { app, stack } = running();
    return call(app, stack, actor, options);
  };
  return {
    get stack() {
      return running().stack;
    },
    read: (actor: Actor, id: string) => send(actor, { method: 'GET', url: `/v1/pathways/${id}` }),
    act: (actor: Actor, id: string, type: string, payload: unknown = {}, extra: Record<string, unknown> = {}) =>
      send(actor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type, payload, ...extra } }),
    history: (actor: Actor, id: string) => send(actor, { method: 'GET', url: `/v1/pathways/${id}/history` }),
    accessLog: (actor: Actor, id: string) => send(actor, { method: 'GET', url: `/v1/pathways/${id}/access-log` }),
    worklist: (actor: Actor, query = '') => send(actor, { method: 'GET', url: `/v1/worklist${query}` }),
    get: (actor: Actor, url: string) => send(actor, { method: 'GET', url }),
    /** Each person signs in (one request), and is then known as someone work may be assigned to. */
    signIn: async (...actors: Actor[]) => {
      for (const actor of actors) {
        expect((await send(actor, { method: 'GET', url: '/v1/organisations' })).statusCode).toBe(200);
        const seen = () => running().stack.db.pool.query('select 1 from people_seen where organisation = $1 and subject = $2', [actor.org, actor.id]);
        for (let tries = 0; !(await seen()).rowCount; tries++) {
          if (tries > 100) throw new Error(`${actor.id} was not recorded as seen`);
          await sleep(20);
        }
      }
    },
    post: (actor: Actor, url: string, payload: unknown, headers: Record<string, string> = {}) => send(actor, { method: 'POST', url, payload: payload as object, headers }),
    patch: (actor: Actor, url: string, payload: unknown) => send(actor, { method: 'PATCH', url, payload: payload as object }),
    /** A request without a token (health checks). */
    anonymous: (options: InjectOptions) => running().app.inject(options),
  };
}

/** Asserts an action was accepted and returns its answer's body. */
export async function accepted(response: { statusCode: number; body: string; json(): any }) {
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Polls `read` until `ready` holds for what it answers. */
export async function until<T>(read: () => Promise<T>, ready: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) throw new Error(`not as expected in time: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

/** Polls until `ready` holds for the JSON `request` answers. */
export async function eventually<T>(request: () => Promise<{ statusCode: number; body: string; json(): any }>, ready: (body: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request();
    if (response.statusCode === 200 && ready(response.json())) return response.json();
    if (Date.now() > deadline) throw new Error(`not as expected in time: ${response.statusCode} ${response.body}`);
    await sleep(100);
  }
}
