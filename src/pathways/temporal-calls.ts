import { randomUUID } from 'node:crypto';
import {
  isGrpcServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { workflowIdOf } from '../domain/model.js';
import type { ActionEnvelope, ActionResult, PathwayView, Refusal, RefusalCode } from '../domain/pathway.js';
import { AppError, type ErrorCode } from '../errors.js';
import { actUpdate, stateQuery } from '../../workflows/definitions.js';

/** How each reason a pathway gives for refusing an action is answered over HTTP. */
const REFUSAL_ERRORS: Record<RefusalCode, ErrorCode> = {
  'invalid-data': 'validation-failed',
  'unknown-action': 'validation-failed',
  'wrong-role': 'forbidden',
  'four-eyes': 'forbidden',
  'wrong-organisation': 'forbidden',
  'later-decision': 'action-refused',
  'stale-version': 'action-refused',
  'wrong-stage': 'action-refused',
  'missing-prerequisite': 'action-refused',
  'not-due': 'action-refused',
  'group-rule': 'action-refused',
  closed: 'action-refused',
  incident: 'action-refused',
  'action-id-reused': 'action-id-reused',
};

function unavailable(what: string): AppError {
  return new AppError('unavailable', `${what} did not answer in time; retry later.`, { retryAfterSeconds: 5 });
}

function refusalError(refusal: Refusal): AppError {
  return new AppError(REFUSAL_ERRORS[refusal.code], refusal.message, { reason: refusal.code, why: refusal.why, fields: refusal.fields });
}

const closedError = () => refusalError({ code: 'closed', message: 'The pathway is closed.', why: { code: 'pathway-closed' } });

/** The whole state of a pathway, from its workflow. */
export async function queryState(client: Client, pathwayId: string, timeoutMs: number): Promise<PathwayView> {
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(workflowIdOf(pathwayId)).query(stateQuery),
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new AppError('unavailable', 'The pathway is still being set up; retry shortly.', { retryAfterSeconds: 5 });
    throw unavailable('The pathway');
  }
}

/**
 * Sends an action as an Update. The pathway itself applies an action id once and binds it to its
 * content, so each request gets an Update id of its own: a retry then reaches the pathway, which
 * answers `applied: false` with the original version, or refuses a different action under that id.
 */
export async function executeAction(client: Client, envelope: ActionEnvelope & { pathwayId: string }, timeoutMs: number): Promise<ActionResult> {
  const handle = client.workflow.getHandle(workflowIdOf(envelope.pathwayId));
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      handle.executeUpdate(actUpdate, { args: [envelope], updateId: `${envelope.actionId}/${randomUUID()}` }),
    );
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const refusal = (error.cause.details?.[0] as Refusal | undefined) ?? { code: error.cause.type as RefusalCode, message: error.cause.message, why: { code: 'not-available-now' } };
      throw refusalError(refusal);
    }
    // A completed workflow takes no more Updates: the pathway was closed.
    if (error instanceof WorkflowNotFoundError || (isGrpcServiceError(error) && error.code === 5)) throw closedError();
    throw unavailable('The pathway');
  }
}
