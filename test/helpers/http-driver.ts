import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { AvailableAction, PathwayView } from '../../src/domain/pathway.js';
import { call } from './api.js';
import { ACTORS } from './pathways.js';
import type { TestStack } from './stack.js';

/** Who acts, in order of preference; supervisors last, and two of them for the four-eyes rule. */
const ROLES: Actor[] = [ACTORS.staff, ACTORS.coordinator, ACTORS.supervisor, ACTORS.otherSupervisor];

/** An action to send: one of the available ones, with its example payload or changes to it. */
export interface Choice {
  type: string;
  payload?: Record<string, unknown>;
}

export interface DriveOptions {
  /** Picks among what the caller may send now; undefined falls back to the first routine action. */
  choose?: (available: AvailableAction[], state: PathwayView) => Choice | undefined;
  /** Never sends these (to stop before a step, as a case worker waiting for a court would). */
  skip?: string[];
  /** Stops when this holds (by default: when the pathway is closed). */
  until?: (state: PathwayView) => boolean;
  timeoutMs?: number;
}

/** A read as a client makes it: one told to slow down (429) waits as long as `Retry-After` says, then reads again. */
export async function stateOver(app: FastifyInstance, stack: TestStack, id: string, actor: Actor = ACTORS.staff): Promise<PathwayView> {
  for (;;) {
    const response = await call(app, stack, actor, { method: 'GET', url: `/v1/pathways/${id}` });
    if (response.statusCode === 429) {
      await sleep(Number(response.headers['retry-after'] ?? 1) * 1000);
      continue;
    }
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }
}

/**
 * Drives a pathway over HTTP using nothing but GET and each caller's availableActions: a chosen
 * action (with its example payload, changed where the choice says) or the first routine one.
 * Returns the types sent and the last state.
 */
export async function driveOverHttp(app: FastifyInstance, stack: TestStack, id: string, options: DriveOptions = {}) {
  const sent: string[] = [];
  const until = options.until ?? ((s: PathwayView) => s.status === 'closed');
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    let acted = false;
    for (const actor of ROLES) {
      const state = await stateOver(app, stack, id, actor);
      if (until(state)) return { sent, state };
      const available = state.availableActions.filter((a) => !options.skip?.includes(a.type));
      const chosen = options.choose?.(available, state);
      const action = chosen ? available.find((a) => a.type === chosen.type) : available.find((a) => a.routine);
      if (!action) continue;
      const payload = { ...action.example, ...chosen?.payload };
      const response = await call(app, stack, actor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: action.type, payload } });
      if (response.statusCode === 200) sent.push(action.type);
      // Time may move the pathway on between reading the state and acting.
      else expect(response.json().reason, response.body).toMatch(/wrong-stage|not-due|missing-prerequisite/);
      acted = true;
      break;
    }
    // Reads are cheap: a client waiting for time to pass need not ask ten times a second.
    if (!acted) await sleep(100);
  }
  throw new Error(`pathway ${id} did not reach the expected state in time: ${JSON.stringify((await stateOver(app, stack, id)).stages.map((s) => [s.stage, s.status, s.blockers]))}`);
}

/** Each choice once, as soon as its type is available (with these payload changes); then routine work. */
export function prefer(...choices: Choice[]): NonNullable<DriveOptions['choose']> {
  const used = new Set<Choice>();
  return (available) => {
    const choice = choices.find((c) => !used.has(c) && available.some((a) => a.type === c.type));
    if (choice) used.add(choice);
    return choice;
  };
}
