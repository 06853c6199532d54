import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { recordListAccess } from '../db/access-log.js';
import { listPathways } from '../db/listing.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import { scopeOf } from './access.js';
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
export async function listVisiblePathways(deps: { pool: Pool; config: Config }, actor: Actor, query: ListQuery, requestId: string) {
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
    organisation: scopeOf(actor, deps.config),
    readerOrg: actor.org,
    limit: query.limit,
    after: after && { openedAt: after[0], id: after[1] },
  });
  // Each row names a person: who saw whom in a list is logged, as a read is (one row per pathway).
  await recordListAccess(deps.pool, { pathways: items.map(({ id, via }) => ({ id, via })), actor, what: 'list', requestId });
  return { items: items.map(({ via: _via, ...item }) => item), nextCursor: last ? encodeCursor([last.openedAt, last.id]) : null };
}
