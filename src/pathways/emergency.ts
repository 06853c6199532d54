import { z } from 'zod';
import type { Config } from '../../config/index.js';
import {
  emergencyAccessQueue,
  grantEmergencyAccess,
  reviewEmergencyAccess,
  type EmergencyReason,
  type QueueStatus,
  type ReviewOutcome,
} from '../db/emergency-access.js';
import { recordListAccess } from '../db/access-log.js';
import { pathwayAccess } from '../db/pathway-access.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import { AppError } from '../errors.js';
import { accessVia, isOversight } from './access.js';
import { decodeCursor, encodeCursor, PgTimestamp } from './cursor.js';

type Deps = { pool: Pool; config: Config };

const SEEN_THROUGH = {
  organisation: 'through your organisation',
  referral: 'through a referral to your organisation',
  transfer: 'through a transfer offered to your organisation',
  oversight: 'as an oversight supervisor',
} as const;

/**
 * Emergency access ("break the glass"): a person of another organisation reads a pathway for a
 * limited time, giving a reason. Only someone who cannot see it otherwise may ask; the grant and
 * every read made with it are flagged in the access log, and the oversight organisation reviews it.
 * Someone who already holds an unexpired grant gets that one back (`created: false`), not a
 * second: it neither lasts longer nor needs a second review.
 */
export async function breakTheGlass(
  deps: Deps,
  actor: Actor,
  pathwayId: string,
  request: { reason: EmergencyReason; note: string },
  requestId: string,
) {
  const row = await pathwayAccess(deps.pool, pathwayId, actor);
  if (!row) throw new AppError('not-found', 'There is no pathway with this id.');
  const via = accessVia(row, deps.config, actor);
  if (via && via !== 'emergency') {
    throw new AppError('action-refused', `You already see this pathway ${SEEN_THROUGH[via]}: emergency access is for pathways you cannot see otherwise.`, {
      reason: 'not-needed',
      why: { code: 'access-not-needed' },
    });
  }
  return grantEmergencyAccess(deps.pool, { pathwayId, actor, ...request, minutes: deps.config.emergencyAccess.minutes, requestId });
}

function mustOversee(actor: Actor, config: Config) {
  if (!isOversight(actor, config)) {
    throw new AppError('forbidden', 'Only supervisors of the oversight organisation review emergency access.', { why: { code: 'oversight-only' } });
  }
}

const Position = z.tuple([PgTimestamp, z.uuid()]);

/** The oversight organisation's review queue: grants by status, oldest first. */
export async function reviewQueue(deps: Deps, actor: Actor, query: { status: QueueStatus; limit: number; cursor?: string }, requestId: string) {
  mustOversee(actor, deps.config);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, Position);
  const { items, last } = await emergencyAccessQueue(deps.pool, {
    status: query.status,
    limit: query.limit,
    after: after && { grantedAt: after[0], id: after[1] },
  });
  // The notes say why someone needed the person's record: reading them is a read of that pathway.
  const pathways = [...new Set(items.map((item) => item.pathwayId))].map((id) => ({ id, via: 'oversight' as const }));
  await recordListAccess(deps.pool, { pathways, actor, what: 'emergency-access', requestId });
  return { items, nextCursor: last ? encodeCursor([last.grantedAt, last.id]) : null };
}

/** An oversight supervisor's verdict on a grant; each grant is reviewed once. */
export async function reviewGrant(deps: Deps, actor: Actor, grantId: string, review: { outcome: ReviewOutcome; note?: string }) {
  mustOversee(actor, deps.config);
  const result = await reviewEmergencyAccess(deps.pool, { grantId, by: actor.id, ...review });
  if (result === 'unknown') throw new AppError('not-found', 'There is no emergency access with this id.');
  if (result === 'own') throw new AppError('forbidden', 'Nobody reviews an emergency access granted to themselves: another oversight supervisor must.', { why: { code: 'own-emergency-access' }, reason: 'four-eyes' });
  if (result === 'already-reviewed') {
    throw new AppError('action-refused', 'This emergency access was already reviewed.', { reason: 'already-reviewed', why: { code: 'already-reviewed' } });
  }
  return result;
}
