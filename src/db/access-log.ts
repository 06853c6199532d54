import type { Actor } from '../domain/model.js';
import type { AccessVia } from './pathway-access.js';
import type { Queryable } from './pool.js';

/** What a person read, printed or downloaded (the table's check constraint holds the same list, migration 0016). */
export const ACCESS_KINDS = [
  'state', 'history', 'access-log', 'worklist', 'emergency-access', 'list', 'search', 'family', 'duplicates',
  'print-summary', 'print-letter', 'download-summary',
] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** Records that a person read a pathway; the read must not happen when this fails. */
export async function recordAccess(
  db: Queryable,
  access: { pathwayId: string; actor: Actor; what: AccessKind; requestId: string; via: AccessVia; emergencyAccessId?: string | null },
) {
  await db.query({
    name: 'record-access',
    text: `insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id, via, emergency_access_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    values: [access.pathwayId, access.actor.id, access.actor.role, access.actor.org, access.what, access.requestId, access.via, access.emergencyAccessId ?? null],
  });
}

/** Records that a person saw these pathways in a list (one row each, one statement); the list must not be answered when this fails. */
export async function recordListAccess(
  db: Queryable,
  access: { pathways: { id: string; via: AccessVia }[]; actor: Actor; what: AccessKind; requestId: string },
) {
  if (!access.pathways.length) return;
  await db.query({
    name: 'record-list-access',
    text: `insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id, via)
           select id, $2, $3, $4, $5, $6, via from unnest($1::uuid[], $7::text[]) as x(id, via)`,
    values: [access.pathways.map((p) => p.id), access.actor.id, access.actor.role, access.actor.org, access.what, access.requestId, access.pathways.map((p) => p.via)],
  });
}

/** Who read the pathway, oldest first. */
export async function accessLog(db: Queryable, pathwayId: string) {
  const { rows } = await db.query<{
    at: Date; actorId: string; actorRole: string; actorOrg: string; what: AccessKind; requestId: string | null; via: AccessVia | null; emergencyAccessId: string | null;
  }>(
    `select at, actor_id as "actorId", actor_role as "actorRole", actor_org as "actorOrg", what, request_id as "requestId",
            via, emergency_access_id as "emergencyAccessId"
       from access_log where pathway_id = $1 order by id`,
    [pathwayId],
  );
  return rows.map(({ at, ...row }) => ({ at: at.toISOString(), ...row }));
}
