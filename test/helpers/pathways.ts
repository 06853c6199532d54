import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Actor, Programme } from '../../src/domain/model.js';
import type { OpenPathway, PersonRecord } from '../../src/domain/open.js';
import type { ActionResult, AvailableAction, PathwayView, Refusal } from '../../src/domain/pathway.js';
import { workflowIdOf } from '../../src/domain/model.js';
import { openPathways } from '../../src/pathways/open.js';
import { actUpdate, stateQuery } from '../../workflows/definitions.js';
import type { TestStack } from './stack.js';

export const ACTORS = {
  coordinator: { id: 'coordinator-cora', role: 'coordinator', org: 'mlsp' },
  staff: { id: 'staff-sam', role: 'staff', org: 'mlsp' },
  otherStaff: { id: 'staff-dana', role: 'staff', org: 'mlsp' },
  supervisor: { id: 'supervisor-sue', role: 'supervisor', org: 'mlsp' },
  otherSupervisor: { id: 'supervisor-sid', role: 'supervisor', org: 'mlsp' },
} satisfies Record<string, Actor>;

export const ARRIVAL = '2021-03-16';

export function openDeps(stack: TestStack) {
  return { pool: stack.db.pool, client: stack.client, config: stack.config, templates: stack.templates };
}

export async function openOne(
  stack: TestStack,
  programme: Programme,
  who: PersonRecord,
  extra: Partial<OpenPathway> = {},
): Promise<string> {
  const request: OpenPathway = { programme, operation: 'Test-operation', arrivalDate: ARRIVAL, person: who, ...extra };
  const [opened] = await openPathways(openDeps(stack), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  return opened!.id;
}

export function stateOf(client: Client, pathwayId: string): Promise<PathwayView> {
  return client.workflow.getHandle(workflowIdOf(pathwayId)).query(stateQuery);
}

export async function act(
  client: Client,
  pathwayId: string,
  type: string,
  payload: unknown,
  actor: Actor,
  actionId: string = randomUUID(),
): Promise<ActionResult> {
  const handle = client.workflow.getHandle(workflowIdOf(pathwayId));
  return handle.executeUpdate(actUpdate, { args: [{ type, payload, actor, actionId }], updateId: actionId });
}

/** Sends an action that must be refused and returns the pathway's reason. */
export async function refused(client: Client, pathwayId: string, type: string, payload: unknown, actor: Actor): Promise<Refusal> {
  try {
    await act(client, pathwayId, type, payload, actor);
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
export async function driveToClosure(client: Client, pathwayId: string, timeoutMs = 90_000): Promise<{ state: PathwayView; sent: string[] }> {
  const deadline = Date.now() + timeoutMs;
  const sent: string[] = [];
  for (;;) {
    const state = await stateOf(client, pathwayId);
    if (state.status === 'closed') return { state, sent };
    if (Date.now() > deadline) throw new Error(`pathway ${pathwayId} not closed in time; at ${state.currentStage}: ${JSON.stringify(state.stages.map((s) => [s.stage, s.status, s.blockers]))}`);
    const next = state.availableActions.find((a) => a.routine);
    if (!next) {
      await sleep(50);
      continue;
    }
    try {
      await act(client, pathwayId, next.type, next.example, actorFor(next));
      sent.push(next.type);
    } catch (error) {
      // Time may move the pathway on between reading the state and acting (the follow-up ends).
      const code = error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : undefined;
      if (code !== 'wrong-stage' && code !== 'not-due') throw error;
    }
  }
}
