import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { listPathways } from '../db/listing.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import { isOversight } from './access.js';
import { decodeCursor, encodeCursor, PgTimestamp } from './cursor.js';

const Cursor = z.tuple([PgTimestamp, z.uuid()]);

export interface ListQuery {
  programme?: string;
  operation?: string;
  stage?: string;
  status?: string;
  overdue?: 'true' | 'false';
  phase?: string;
  arrivalDate?: string;
  familyGroup?: string;
  limit: number;
  cursor?: string;
}

/** The pathways this person may see, filtered, newest first, a page at a time. */
export async function listVisiblePathways(deps: { pool: Pool; config: Config }, actor: Actor, query: ListQuery) {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, Cursor);
  const { items, last } = await listPathways(deps.pool, {
    programme: query.programme,
    operation: query.operation,
    stage: query.stage,
    status: query.status,
    overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
    phase: query.phase,
    arrivalDate: query.arrivalDate,
    familyGroup: query.familyGroup,
    organisation: isOversight(actor, deps.config) ? undefined : actor.org,
    limit: query.limit,
    after: after && { openedAt: after[0], id: after[1] },
  });
  return { items, nextCursor: last ? encodeCursor([last.openedAt, last.id]) : null };
}
