import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { listPathways } from '../db/listing.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import { validationError } from '../errors.js';
import { IsoDate } from '../domain/open.js';
import { isOversight } from './access.js';

/** A timestamp as PostgreSQL prints `timestamptz::text` (the cursor keeps it to the microsecond). */
const PgTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/)
  .refine((value) => value >= '1900' && IsoDate.safeParse(value.slice(0, 10)).success && !Number.isNaN(Date.parse(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'))));
const Cursor = z.tuple([PgTimestamp, z.uuid()]);

function decodeCursor(cursor: string) {
  try {
    const [openedAt, id] = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { openedAt, id };
  } catch {
    throw validationError([{ path: 'querystring.cursor', message: 'is not a cursor this API gave out' }]);
  }
}

const encodeCursor = (last: { openedAt: string; id: string }) => Buffer.from(JSON.stringify([last.openedAt, last.id])).toString('base64url');

export interface ListQuery {
  programme?: string;
  operation?: string;
  stage?: string;
  status?: string;
  overdue?: 'true' | 'false';
  limit: number;
  cursor?: string;
}

/** The pathways this person may see, filtered, newest first, a page at a time. */
export async function listVisiblePathways(deps: { pool: Pool; config: Config }, actor: Actor, query: ListQuery) {
  const { items, last } = await listPathways(deps.pool, {
    programme: query.programme,
    operation: query.operation,
    stage: query.stage,
    status: query.status,
    overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
    organisation: isOversight(actor, deps.config) ? undefined : actor.org,
    limit: query.limit,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
  });
  return { items, nextCursor: last ? encodeCursor(last) : null };
}
