import { randomUUID } from 'node:crypto';
import type { ActionRequest } from '../api/schemas.js';
import { recordAccess } from '../db/access-log.js';
import { deleteNote, insertNote } from '../db/notes.js';
import type { Actor } from '../domain/model.js';
import { AppError } from '../errors.js';
import { accessiblePathway } from './access.js';
import { forActor, type ReadDeps } from './read.js';
import { executeAction, queryState } from './temporal-calls.js';

/**
 * Records an action on a pathway. The workflow checks everything (type, data, role, rules) and
 * decides; this turns its answer into HTTP terms. A note is stored before the action and removed
 * again if the pathway refuses it.
 */
export async function sendAction(deps: ReadDeps, actor: Actor, pathwayId: string, request: ActionRequest, requestId: string) {
  await accessiblePathway(deps.pool, deps.config, actor, pathwayId, 'act');
  const actionId = request.actionId ?? randomUUID();
  const noteAdded = request.note
    ? await insertNote(deps.pool, { pathwayId, actionId, authorId: actor.id, text: request.note })
    : false;
  const envelope = { type: request.type, payload: request.payload ?? {}, actionId, actor, requestId };
  try {
    const result = await executeAction(deps.client, envelope, pathwayId, deps.config.temporal.updateTimeoutMs);
    const state = await queryState(deps.client, pathwayId, deps.config.temporal.updateTimeoutMs).catch(() => undefined);
    if (state) await recordAccess(deps.pool, { pathwayId, actor, what: 'state', requestId });
    return { actionId, applied: result.applied, version: result.version, state: state && forActor(state, actor) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Timed out: the pathway may still apply the action, so the note stays and the caller learns the id to retry with.
    if (error.code === 'unavailable') throw new AppError('unavailable', error.message, { ...error.extras, actionId });
    if (noteAdded) await deleteNote(deps.pool, pathwayId, actionId);
    throw error;
  }
}
