import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/model.js';
import { personColumns, shownPerson, type PersonRow } from '../domain/person-shown.js';
import { inTransaction, type Pool, type Queryable } from './pool.js';
import { pageOf } from './page.js';

/** Why a person broke the glass; the note says the rest. */
export const EMERGENCY_REASONS = ['medical-emergency', 'safety-risk', 'child-protection', 'legal-deadline', 'other'] as const;
export type EmergencyReason = (typeof EMERGENCY_REASONS)[number];
export const REVIEW_OUTCOMES = ['justified', 'unjustified'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface Grant {
  id: string;
  pathwayId: string;
  expiresAt: string;
  reason: EmergencyReason;
}

const GRANT_COLUMNS = `id, pathway_id as "pathwayId", expires_at as "expiresAt", reason`;
const asGrant = (row: Omit<Grant, 'expiresAt'> & { expiresAt: Date }): Grant => ({ ...row, expiresAt: row.expiresAt.toISOString() });

/**
 * Emergency access to the pathway for this person, for `minutes` from now on the database's clock
 * (the clock every read checks it against). Their unexpired grant, if they have one, is answered
 * instead of a second one (`created: false`): a retried request does not open a second review.
 * The grant and its access-log row are written in one statement; the lock makes two requests of
 * the same person at once wait for each other, so they cannot both grant.
 */
export async function grantEmergencyAccess(
  pool: Pool,
  grant: { pathwayId: string; actor: Actor; reason: EmergencyReason; note: string; minutes: number; requestId: string },
): Promise<{ grant: Grant; created: boolean }> {
  const { pathwayId, actor } = grant;
  return inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['emergency-access', pathwayId, actor.org, actor.id, actor.role])]);
    const existing = await client.query(
      `select ${GRANT_COLUMNS} from emergency_access
        where pathway_id = $1 and actor_id = $2 and actor_org = $3 and actor_role = $4 and expires_at > now()
        order by expires_at desc limit 1`,
      [pathwayId, actor.id, actor.org, actor.role],
    );
    if (existing.rows[0]) return { grant: asGrant(existing.rows[0]), created: false };
    const { rows } = await client.query(
      `with granted as (
         insert into emergency_access (id, pathway_id, actor_id, actor_role, actor_org, reason, note, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(mins => $8))
         returning ${GRANT_COLUMNS}),
       logged as (
         insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id, via, emergency_access_id)
         select "pathwayId", $3, $4, $5, 'emergency-access', $9, 'emergency', id from granted)
       select * from granted`,
      [randomUUID(), pathwayId, actor.id, actor.role, actor.org, grant.reason, grant.note, grant.minutes, grant.requestId],
    );
    return { grant: asGrant(rows[0]), created: true };
  });
}

/** Where a page of the review queue continues: after this grant moment (as `timestamptz::text`) and id. */
export interface QueuePosition {
  grantedAt: string;
  id: string;
}

export type QueueStatus = 'unreviewed' | 'reviewed' | 'all';

/** Everything the review queue shows of a grant; reads leaves out the grant's own access-log row. */
const QUEUE_COLUMNS = `e.id, e.pathway_id, e.actor_id, e.actor_role, e.actor_org, e.reason, e.note, e.granted_at, e.expires_at,
       e.reviewed_at, e.reviewed_by, e.review_outcome, e.review_note, e.granted_at::text as cursor_at,
       (select count(*)::int from access_log l
         where l.pathway_id = e.pathway_id and l.emergency_access_id = e.id and l.what <> 'emergency-access') as reads`;

type QueueRow = {
  id: string; pathway_id: string; actor_id: string; actor_role: string; actor_org: string; reason: EmergencyReason; note: string;
  granted_at: Date; expires_at: Date; reviewed_at: Date | null; reviewed_by: string | null; review_outcome: ReviewOutcome | null;
  review_note: string | null; cursor_at: string; reads: number;
};

function queueItem(row: QueueRow) {
  return {
    id: row.id,
    pathwayId: row.pathway_id,
    actor: { id: row.actor_id, role: row.actor_role, org: row.actor_org },
    reason: row.reason,
    note: row.note,
    grantedAt: row.granted_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    reads: row.reads,
    review: row.reviewed_at
      ? { outcome: row.review_outcome!, by: row.reviewed_by!, at: row.reviewed_at.toISOString(), note: row.review_note }
      : null,
  };
}
export type QueueItem = ReturnType<typeof queueItem>;

/** The queue lists the person each grant was for; a single review's answer does not. */
export type ListedGrant = QueueItem & { person: ReturnType<typeof shownPerson> };

/** Grants by status, oldest first; one row more than asked tells whether another page follows. */
export async function emergencyAccessQueue(
  db: Queryable,
  q: { status: QueueStatus; limit: number; after?: QueuePosition },
): Promise<{ items: ListedGrant[]; last?: QueuePosition }> {
  const { rows } = await db.query<QueueRow & PersonRow>(
    `select ${QUEUE_COLUMNS}, ${personColumns('pe')}
       from emergency_access e
       join people pe on pe.pathway_id = e.pathway_id
      where ($1 = 'all' or ($1 = 'unreviewed') = (e.reviewed_at is null))
        and ($2::timestamptz is null or (e.granted_at, e.id) > ($2::timestamptz, $3::uuid))
      order by e.granted_at, e.id
      limit $4`,
    [q.status, q.after?.grantedAt ?? null, q.after?.id ?? null, q.limit + 1],
  );
  const { page, last } = pageOf(rows, q.limit);
  const today = new Date().toISOString().slice(0, 10);
  return { items: page.map((row) => ({ ...queueItem(row), person: shownPerson(row, { today }) })), last: last && { grantedAt: last.cursor_at, id: last.id } };
}

/**
 * Records the oversight organisation's review of a grant, once and never by the person it was
 * granted to: `unknown` when there is no such grant, `own` when the reviewer is its grantee,
 * `already-reviewed` when someone reviewed it first (the update only touches an unreviewed one).
 */
export async function reviewEmergencyAccess(
  db: Queryable,
  review: { grantId: string; by: string; outcome: ReviewOutcome; note?: string },
): Promise<QueueItem | 'unknown' | 'own' | 'already-reviewed'> {
  const { rows } = await db.query<QueueRow>(
    `with reviewed as (
       update emergency_access set reviewed_at = now(), reviewed_by = $2, review_outcome = $3, review_note = $4
        where id = $1 and reviewed_at is null and actor_id <> $2
        returning *)
     select ${QUEUE_COLUMNS} from reviewed e`,
    [review.grantId, review.by, review.outcome, review.note ?? null],
  );
  if (rows[0]) return queueItem(rows[0]);
  const { rows: found } = await db.query<{ own: boolean }>('select actor_id = $2 as own from emergency_access where id = $1', [review.grantId, review.by]);
  if (!found[0]) return 'unknown';
  return found[0].own ? 'own' : 'already-reviewed';
}
