import type { Actor } from '../domain/model.js';
import type { Queryable } from './pool.js';

export type AccessKind = 'state' | 'history' | 'access-log';

/** Records that a person read a pathway; the read must not happen when this fails. */
export async function recordAccess(db: Queryable, access: { pathwayId: string; actor: Actor; what: AccessKind; requestId: string }) {
  await db.query({
    name: 'record-access',
    text: 'insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id) values ($1, $2, $3, $4, $5, $6)',
    values: [access.pathwayId, access.actor.id, access.actor.role, access.actor.org, access.what, access.requestId],
  });
}

/** Who read the pathway, oldest first. */
export async function accessLog(db: Queryable, pathwayId: string) {
  const { rows } = await db.query<{ at: Date; actorId: string; actorRole: string; actorOrg: string; what: AccessKind; requestId: string | null }>(
    `select at, actor_id as "actorId", actor_role as "actorRole", actor_org as "actorOrg", what, request_id as "requestId"
       from access_log where pathway_id = $1 order by id`,
    [pathwayId],
  );
  return rows.map(({ at, ...row }) => ({ at: at.toISOString(), ...row }));
}
