import type { Actor } from '../domain/model.js';
import type { Queryable } from './pool.js';

/** What a person read, printed or downloaded (the table's check constraint holds the same list, migration 0023). */
export const ACCESS_KINDS = [
  'state', 'history', 'access-log', 'worklist', 'emergency-access', 'list', 'search', 'family', 'duplicates',
  'print-summary', 'print-letter', 'download-summary', 'export',
] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** How the reader came to see the pathway. */
export type AccessVia = 'organisation' | 'oversight' | 'referral' | 'transfer' | 'emergency';

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

/** A page of the log: after the entry `after`, or before the entry `before` (the page before), oldest first. */
export interface AccessLogPage {
  after?: number;
  before?: number;
  limit: number;
}

/** Who read the pathway, oldest first, a page at a time; with whether entries come before and after the page. */
export async function accessLog(db: Queryable, pathwayId: string, page: AccessLogPage = { limit: 100 }) {
  const { rows } = await db.query<{
    id: string; at: Date; actorId: string; actorRole: string; actorOrg: string; what: AccessKind; requestId: string | null; via: AccessVia | null;
    emergencyAccessId: string | null; firstId: string; lastId: string;
  }>(
    `with bounds as (select min(id) as first_id, max(id) as last_id from access_log where pathway_id = $1),
          page as (
            select id, at, actor_id, actor_role, actor_org, what, request_id, via, emergency_access_id
              from access_log
             where pathway_id = $1 and ($2::bigint is null or id > $2) and ($3::bigint is null or id < $3)
             -- The page before a position is the last entries before it.
             order by case when $3::bigint is null then id else -id end
             limit $4)
     select p.id, p.at, p.actor_id as "actorId", p.actor_role as "actorRole", p.actor_org as "actorOrg", p.what, p.request_id as "requestId",
            p.via, p.emergency_access_id as "emergencyAccessId", b.first_id as "firstId", b.last_id as "lastId"
       from page p cross join bounds b
      order by p.id`,
    [pathwayId, page.after ?? null, page.before ?? null, page.limit],
  );
  const first = rows[0];
  const last = rows.at(-1);
  return {
    entries: rows.map(({ at, id: _id, firstId: _first, lastId: _last, ...row }) => ({ at: at.toISOString(), ...row })),
    // Where the pages around this one start; none at either end of the log.
    before: first && first.id !== first.firstId ? Number(first.id) : undefined,
    after: last && last.id !== last.lastId ? Number(last.id) : undefined,
  };
}
