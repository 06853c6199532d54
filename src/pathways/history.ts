import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { accessLog, recordAccess } from '../db/access-log.js';
import { checkChain } from '../db/audit-chain.js';
import { auditTrail } from '../db/audit-trail.js';
import { openIncidentOf } from '../db/incidents.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import { personColumns, shownPerson, type PersonRow } from '../domain/person-shown.js';
import { accessiblePathway } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';

type Deps = { pool: Pool; config: Config };

/**
 * The audit trail of one pathway and whether its hash chain verifies, for a supervisor allowed to
 * see it; with the open incident, if any, since the trail then ends before what the pathway did.
 */
export async function pathwayHistory(deps: Deps, actor: Actor, pathwayId: string, requestId: string) {
  const { via } = await accessiblePathway(deps.pool, deps.config, actor, pathwayId, 'audit');
  const [entries, chain, incident, person] = await Promise.all([
    auditTrail(deps.pool, pathwayId), checkChain(deps.pool, pathwayId), openIncidentOf(deps.pool, pathwayId), shownPersonOf(deps.pool, pathwayId),
  ]);
  await recordAccess(deps.pool, { pathwayId, actor, what: 'history', requestId, via });
  return { pathwayId, person, chain: { verified: chain.verified, firstBroken: chain.firstBroken }, incident, entries };
}

/** Who the pathway is for, as lists show it: the trail is not the pathway's own page, so a hidden name stays initials. */
async function shownPersonOf(pool: Pool, pathwayId: string) {
  const { rows } = await pool.query<PersonRow>(`select ${personColumns('pe')} from people pe where pe.pathway_id = $1`, [pathwayId]);
  if (!rows[0]) throw new Error(`pathway ${pathwayId} has no person record`);
  return shownPerson(rows[0], { today: new Date().toISOString().slice(0, 10) });
}

/** Where a page of the access log starts: after an entry (the next page) or before one (the page before). */
const LogPosition = z.tuple([z.enum(['after', 'before']), z.number().int().positive()]);

/** Who read the pathway's state or history, and when, a page at a time. Reading it is logged too. */
export async function pathwayAccessLog(deps: Deps, actor: Actor, pathwayId: string, requestId: string, query: { limit: number; cursor?: string } = { limit: 100 }) {
  const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor, LogPosition);
  const { via } = await accessiblePathway(deps.pool, deps.config, actor, pathwayId, 'audit');
  await recordAccess(deps.pool, { pathwayId, actor, what: 'access-log', requestId, via });
  const page = await accessLog(deps.pool, pathwayId, { limit: query.limit, [position?.[0] ?? 'after']: position?.[1] });
  return {
    pathwayId,
    entries: page.entries,
    previousCursor: page.before === undefined ? null : encodeCursor(['before', page.before]),
    nextCursor: page.after === undefined ? null : encodeCursor(['after', page.after]),
  };
}
