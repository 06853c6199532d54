import { z } from 'zod';
import { recordListAccess } from '../db/access-log.js';
import type { Pool } from '../db/pool.js';
import { worklist, type WorklistRow } from '../db/worklist.js';
import { StageName, type Actor, type Role } from '../domain/model.js';
import { validationError } from '../errors.js';
import { decodeCursor, encodeCursor, PgTimestamp } from './cursor.js';

const UNKNOWN_NOTE = 'This pathway has not changed since the worklist began recording what pathways wait for: open it to see its actions.';

export interface WorklistQuery {
  programme?: string;
  kind?: 'approvals';
  limit: number;
  cursor?: string;
}

const Head = [z.number().int().min(0).max(3), z.union([z.literal('infinity'), PgTimestamp]), z.uuid()] as const;
/** Where a page ends: rank, moment, pathway and the row's referred stage (absent from cursors made before each had a row). */
const Position = z.union([z.tuple([...Head, z.union([z.literal(''), StageName])]), z.tuple([...Head])]);

/** One line of a worklist: categories, the caller's actions, or what the pathway waits for. */
function itemOf(row: WorklistRow, actor: Actor) {
  const { work, mine, blockers: stored, assignedTo, assignedToCaller, claimableByOrganisation, ...rest } = row;
  const base = { ...rest, assignedTo, claimable: claimableByOrganisation && assignedTo === null && !assignedToCaller && actor.role === 'staff' };
  if (!work || !mine) return { ...base, actions: null, waitingFor: null, blockers: null, note: UNKNOWN_NOTE };
  const blockers = stored ?? [];
  const actions = mine.map(({ type, stage }) => ({ type, stage }));
  if (actions.length) return { ...base, actions, waitingFor: null, blockers };
  const waiting = work.map(({ type, stage, roles, excludedActors }) => ({
    type,
    stage,
    roles,
    // The caller holds the role but prepared the decision: somebody else must take it.
    ...(roles.includes(actor.role) && excludedActors?.includes(actor.id) ? { fourEyes: true as const } : {}),
  }));
  const roles = [...new Set(waiting.flatMap((a) => a.roles))].sort() as Role[];
  return { ...base, actions, waitingFor: { roles, actions: waiting }, blockers };
}

/**
 * The caller's worklist: the open pathways of their own organisation (the oversight organisation's
 * supervisors included: they act on no other organisation's pathways), their own work first.
 */
export async function visibleWorklist(deps: { pool: Pool }, actor: Actor, query: WorklistQuery, requestId: string) {
  if (query.kind === 'approvals' && actor.role !== 'supervisor') {
    throw validationError([{ path: 'querystring.kind', message: 'approvals are decisions only supervisors take', code: 'approvals-supervisors-only' }]);
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, Position);
  const { rows, last } = await worklist(deps.pool, {
    organisation: actor.org,
    actor: { id: actor.id, role: actor.role },
    programme: query.programme,
    decisionsOnly: query.kind === 'approvals',
    limit: query.limit,
    after: after && { rank: after[0], sortAt: after[1], id: after[2], stage: after[3] ?? '' },
  });
  // Blockers can state health or legal facts: who saw which pathway in a list is logged, as a read is (once per pathway).
  const seen = [...new Map(rows.map((row) => [row.id, { id: row.id, via: row.via }])).values()];
  await recordListAccess(deps.pool, { pathways: seen, actor, what: 'worklist', requestId });
  return { items: rows.map((row) => itemOf(row, actor)), nextCursor: last ? encodeCursor([last.rank, last.sortAt, last.id, last.stage]) : null };
}
