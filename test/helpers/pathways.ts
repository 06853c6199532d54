import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { expect } from 'vitest';
import type { Actor, Programme } from '../../src/domain/model.js';
import type { OpenPathway, PersonRecord } from '../../src/domain/open.js';
import type { ActionResult, AvailableAction, PathwayView, Refusal } from '../../src/domain/pathway.js';
import { workflowIdOf } from '../../src/domain/model.js';
import { openPathways } from '../../src/pathways/open.js';
import { actUpdate, stateQuery } from '../../workflows/definitions.js';
import type { ActionType, PayloadOf } from '../../workflows/stages/index.js';
import type { TestStack } from './stack.js';

export const ACTORS = {
  coordinator: { id: 'coordinator-cora', role: 'coordinator', org: 'mlsp' },
  staff: { id: 'staff-sam', role: 'staff', org: 'mlsp' },
  otherStaff: { id: 'staff-dana', role: 'staff', org: 'mlsp' },
  supervisor: { id: 'supervisor-sue', role: 'supervisor', org: 'mlsp' },
  otherSupervisor: { id: 'supervisor-sid', role: 'supervisor', org: 'mlsp' },
} satisfies Record<string, Actor>;

/** Today: pathways in tests arrive on the day they are opened, unless a test says otherwise. */
export const ARRIVAL = new Date().toISOString().slice(0, 10);

/** What opening pathways needs, optionally with another clock scale or other templates. */
export function openDeps(stack: TestStack, options: { clockScale?: number; templates?: TestStack['templates'] } = {}) {
  const config = options.clockScale ? { ...stack.config, clockScale: options.clockScale } : stack.config;
  return { pool: stack.db.pool, client: stack.client, config, templates: options.templates ?? stack.templates };
}

export async function openOne(
  stack: TestStack,
  programme: Programme,
  who: PersonRecord,
  extra: Partial<OpenPathway> = {},
  options: { clockScale?: number } = {},
): Promise<string> {
  const operation = stack.templates.get(programme)!.operations[0]!.name;
  const request: OpenPathway = { programme, operation, arrivalDate: ARRIVAL, person: who, ...extra };
  const [opened] = await openPathways(openDeps(stack, options), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  return opened!.id;
}

/** Polls the pathway until `predicate` holds. */
export async function waitFor(client: Client, pathwayId: string, predicate: (state: PathwayView) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await stateOf(client, pathwayId);
    if (predicate(state)) return state;
    if (Date.now() > deadline) throw new Error(`condition not met in time; state: ${JSON.stringify(state.stages.map((s) => [s.stage, s.status]))}`);
    await sleep(50);
  }
}

export function stage(state: PathwayView, name: string) {
  const found = state.stages.find((s) => s.stage === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
}

/**
 * Sends an action that must be refused, and checks that it changed nothing: no recorded detail,
 * no action in the audit trail. (Time may add automatic events meanwhile, such as a stage overdue.)
 */
export async function expectRefused(
  stack: TestStack,
  pathwayId: string,
  action: { type: string; payload?: unknown; actor: Actor },
): Promise<Refusal> {
  const recorded = (state: PathwayView) => state.stages.filter((s) => s.stage !== 'followUp').map((s) => s.details);
  const before = await stateOf(stack.client, pathwayId);
  await auditedUpTo(stack, pathwayId, before.version);
  const actions = await actionCount(stack, pathwayId);
  const refusal = await refused(stack.client, pathwayId, action.type, action.payload ?? {}, action.actor);
  const after = await stateOf(stack.client, pathwayId);
  expect(recorded(after)).toEqual(recorded(before));
  await auditedUpTo(stack, pathwayId, after.version);
  expect(await actionCount(stack, pathwayId)).toBe(actions);
  return refusal;
}

async function actionCount(stack: TestStack, pathwayId: string): Promise<number> {
  const { rows } = await stack.db.pool.query("select count(*)::int as n from audit_entries where pathway_id = $1 and kind = 'action'", [pathwayId]);
  return rows[0].n;
}

/** Waits until PostgreSQL holds every audit entry the pathway has produced so far. */
export async function auditedUpTo(stack: TestStack, pathwayId: string, version: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const count = await auditCount(stack, pathwayId);
    if (count >= version) return count;
    await sleep(25);
  }
  throw new Error(`audit trail of ${pathwayId} stays behind version ${version}`);
}

export async function auditCount(stack: TestStack, pathwayId: string): Promise<number> {
  const { rows } = await stack.db.pool.query('select count(*)::int as n from audit_entries where pathway_id = $1', [pathwayId]);
  return rows[0].n;
}

/** Sends each routine action of the given types that the pathway offers, until none is left. */
export async function completeStages(client: Client, pathwayId: string, stages: string[], timeoutMs = 30_000): Promise<PathwayView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await stateOf(client, pathwayId);
    const pending = state.stages.filter((s) => stages.includes(s.stage) && !['done', 'skipped'].includes(s.status));
    if (pending.length === 0) return state;
    if (Date.now() > deadline) throw new Error(`stages not done in time: ${JSON.stringify(pending.map((s) => [s.stage, s.blockers]))}`);
    const next = state.availableActions.find((a) => a.routine && stages.includes(a.stage));
    if (next) await sendAct(client, pathwayId, next.type, next.example, actorFor(next));
    else await sleep(50);
  }
}

export function stateOf(client: Client, pathwayId: string): Promise<PathwayView> {
  return client.workflow.getHandle(workflowIdOf(pathwayId)).query(stateQuery);
}

/** Records an action the compiler knows: a renamed action or a changed payload fails to compile here. */
export function act<T extends ActionType>(client: Client, pathwayId: string, type: T, payload: PayloadOf<T>, actor: Actor, actionId?: string) {
  return sendAct(client, pathwayId, type, payload, actor, actionId);
}

/** Any action, as a client would send it (also malformed ones, and the types a state lists). */
async function sendAct(
  client: Client,
  pathwayId: string,
  type: string,
  payload: unknown,
  actor: Actor,
  actionId: string = randomUUID(),
): Promise<ActionResult & { state: PathwayView }> {
  const handle = client.workflow.getHandle(workflowIdOf(pathwayId));
  const result = await handle.executeUpdate(actUpdate, { args: [{ pathwayId, type, payload, actor, actionId }], updateId: actionId });
  return { ...result, state: await handle.query(stateQuery) };
}

/** Sends an action that must be refused and returns the pathway's reason. */
export async function refused(client: Client, pathwayId: string, type: string, payload: unknown, actor: Actor): Promise<Refusal> {
  try {
    await sendAct(client, pathwayId, type, payload, actor);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause as { type?: string; details?: unknown[]; message: string };
      return (cause.details?.[0] as Refusal) ?? { code: cause.type as Refusal['code'], message: cause.message };
    }
    throw error;
  }
  throw new Error(`${type} was accepted`);
}

/** Someone with a role the action allows, who is not barred by the four-eyes rule. */
export function actorFor(action: AvailableAction): Actor {
  const candidates = [ACTORS.staff, ACTORS.coordinator, ACTORS.supervisor, ACTORS.otherSupervisor];
  const actor = candidates.find((a) => action.roles.includes(a.role) && !action.excludedActors?.includes(a.id));
  if (!actor) throw new Error(`nobody may send ${action.type}`);
  return actor;
}

/**
 * Drives a pathway to closure using nothing but its state and availableActions: the first
 * routine action is sent with its example payload; when none is available, time must pass.
 */
export async function driveToClosure(
  client: Client,
  pathwayId: string,
  timeoutMs = 90_000,
  /** Actions to send once each as soon as they are available, with these payloads. */
  preferred: { type: string; payload: Record<string, unknown> }[] = [],
): Promise<{ state: PathwayView; sent: string[] }> {
  const deadline = Date.now() + timeoutMs;
  const sent: string[] = [];
  const waiting = [...preferred];
  for (;;) {
    const state = await stateOf(client, pathwayId);
    if (state.status === 'closed') return { state, sent };
    if (Date.now() > deadline) throw new Error(`pathway ${pathwayId} not closed in time; at ${state.currentStage}: ${JSON.stringify(state.stages.map((s) => [s.stage, s.status, s.blockers]))}`);
    const wanted = waiting.findIndex((p) => state.availableActions.some((a) => a.type === p.type));
    const choice = wanted >= 0 ? waiting.splice(wanted, 1)[0] : undefined;
    const next = choice ? state.availableActions.find((a) => a.type === choice.type) : state.availableActions.find((a) => a.routine);
    if (!next) {
      await sleep(50);
      continue;
    }
    try {
      await sendAct(client, pathwayId, next.type, { ...next.example, ...choice?.payload }, actorFor(next));
      sent.push(next.type);
    } catch (error) {
      // Time may move the pathway on between reading the state and acting (the follow-up ends, a toddler turns three).
      const code = error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : undefined;
      if (code !== 'wrong-stage' && code !== 'not-due' && code !== 'missing-prerequisite') throw error;
    }
  }
}
