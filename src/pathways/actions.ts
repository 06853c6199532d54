import { createHash, randomUUID } from 'node:crypto';
import type { ActionRequest } from '../api/schemas.js';
import { ACTIONS } from '../../workflows/stages/index.js';
import { recordedAction } from '../db/audit.js';
import { isTransientDatabaseError } from '../db/errors.js';
import { deleteNote, insertNote } from '../db/notes.js';
import type { Actor, Programme } from '../domain/model.js';
import type { Template } from '../domain/template.js';
import { actionPreconditions } from './preconditions.js';
import type { ActionEnvelope } from '../domain/pathway.js';
import { AppError } from '../errors.js';
import { accessiblePathway } from './access.js';
import { logReadOfStored } from '../db/pathway-access.js';
import { currentState, forActor, usableView, type ReadDeps } from './read.js';
import { executeAction } from './temporal-calls.js';

/** JSON with keys in a fixed order, so equal content always hashes equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What an action id is bound to: the same id may only ever stand for this content. */
export function actionDigest(request: Pick<ActionRequest, 'type' | 'payload' | 'note'>): string {
  const content = canonical({ type: request.type, payload: request.payload ?? {}, note: request.note ?? null });
  return createHash('sha256').update(content).digest('base64url');
}

/** The caller learns which id to retry with whenever the outcome is unknown. */
function retryable(error: unknown, actionId: string): unknown {
  if (error instanceof AppError && error.code === 'unavailable') return new AppError('unavailable', error.message, { ...error.extras, actionId });
  if (isTransientDatabaseError(error)) {
    return new AppError('unavailable', 'The database did not answer in time; retry later with the same actionId.', { retryAfterSeconds: 5, actionId });
  }
  return error;
}

/**
 * A closed pathway's workflow has ended and takes no more Updates, yet the retry of the action that
 * closed it (its answer lost to a time-out) must still learn it was applied. The trail holds what
 * the workflow applied: the same content under the id answers `applied: false` with its version,
 * as the workflow would; other content under the id is refused as a reused id.
 */
async function appliedBeforeClosing(deps: ReadDeps, pathwayId: string, actionId: string, request: ActionRequest, noteAdded: boolean) {
  const recorded = await recordedAction(deps.pool, pathwayId, actionId);
  if (!recorded) return undefined;
  const payload = ACTIONS.get(request.type)?.definition.payload.safeParse(request.payload ?? {});
  // A note this very request stored is not the applied action's: that one had none.
  const note = noteAdded ? null : recorded.note;
  const same = recorded.type === request.type && payload?.success && canonical(payload.data) === canonical(recorded.data) && note === (request.note ?? null);
  if (!same) throw new AppError('action-id-reused', `The actionId ${actionId} was already used for a different action; use a new id.`, { reason: 'action-id-reused', why: { code: 'action-id-reused' } });
  return { actionId, applied: false, version: recorded.seq, state: undefined };
}

/**
 * Records an action on a pathway. The workflow checks everything (type, data, role, rules, the
 * action id's content) and decides; this turns its answer into HTTP terms. A note is stored
 * before the action and removed again if the pathway refuses it.
 */
export async function sendAction(deps: ReadDeps & { templates: ReadonlyMap<Programme, Template> }, actor: Actor, pathwayId: string, request: ActionRequest, requestId: string, options = { withState: true }) {
  const actionId = request.actionId ?? randomUUID();
  let noteAdded = false;
  try {
    const { via, row } = await accessiblePathway(deps.pool, deps.config, actor, pathwayId, 'act');
    await actionPreconditions(deps, actor, row, request.type, request.payload);
    if (request.note) noteAdded = await insertNote(deps.pool, { pathwayId, actionId, authorId: actor.id, text: request.note });
    const envelope: ActionEnvelope & { pathwayId: string } = {
      pathwayId,
      type: request.type,
      payload: request.payload ?? {},
      actionId,
      digest: actionDigest(request),
      actor,
      requestId,
    };
    const result = await executeAction(deps.client, envelope, deps.config.temporal.updateTimeoutMs);
    if (!options.withState) return { actionId, applied: result.applied, version: result.version, state: undefined };
    // The Update is answered once the batch is written, so the stored view is at least this
    // version; the read is logged in the same statement. Otherwise (a pathway opened before views
    // were stored) the workflow is asked. The action stands even if neither succeeds.
    const state = await logReadOfStored(deps.pool, { pathwayId, actor, what: 'state', requestId, via })
      .then(async (stored) => usableView(stored, result.version) ?? (await currentState(deps, pathwayId)))
      .catch(() => undefined);
    // Access as it was before the action: one that ends it (a declined referral) shows what the sender saw.
    const view = state ? forActor(state, actor, via, row.referredStages) : undefined;
    return { actionId, applied: result.applied, version: result.version, state: view };
  } catch (caught) {
    let error = caught;
    if (request.actionId && error instanceof AppError && error.extras.reason === 'closed') {
      try {
        const earlier = await appliedBeforeClosing(deps, pathwayId, actionId, request, noteAdded);
        if (earlier) return earlier;
      } catch (lookup) {
        error = lookup;
      }
    }
    const answer = retryable(error, actionId);
    // Refused for good: the note of an action that did not happen goes too.
    if (noteAdded && !(answer instanceof AppError && answer.code === 'unavailable')) await deleteNote(deps.pool, pathwayId, actionId);
    throw answer;
  }
}
