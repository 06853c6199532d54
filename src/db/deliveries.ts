// Each e-mail and webhook call a notification needs, and its state: claimed under a lease (a
// worker that dies mid-delivery leaves it to be claimed again), retried with a doubling wait,
// given up after a time the configuration sets.
import type { ClaimedDelivery, DeliveryChannel } from '../notify/types.js';
import type { Queryable } from './pool.js';

/** How long a claimed delivery is the claimer's: longer than any one send may take. */
const LEASE_SECONDS = 120;

/**
 * Writes the e-mails of notifications not yet fanned out: one per person of the audience the
 * sign-in has seen with an address, and one per operator address for an incident.
 */
export async function fanOutEmails(db: Queryable, operators: readonly string[], limit = 500): Promise<number> {
  const { rowCount } = await db.query({
    name: 'fan-out-emails',
    text: `
      with todo as (
        select id, kind from notifications where emails_fanned_at is null order by created_at limit $2 for update skip locked),
      people as (
        select distinct t.id, s.organisation || '/' || s.subject as target
          from todo t
          join notification_audience a on a.notification_id = t.id
          join people_seen s on s.organisation = a.organisation
           and (s.subject = a.subject or (a.subject is null and s.role = any (a.roles)))
           and s.subject is distinct from a.except_subject
         where s.email is not null
        union
        select t.id, 'mailto:' || o from todo t, unnest($1::text[]) as o where t.kind = 'incident'),
      written as (
        insert into notification_deliveries (id, notification_id, channel, target)
        select gen_random_uuid(), id, 'email', target from people
        on conflict (notification_id, channel, target) do nothing)
      update notifications set emails_fanned_at = now() where id in (select id from todo)`,
    values: [operators, limit],
  });
  return rowCount ?? 0;
}

/** Deliveries of a channel that are due, or whose claimer's lease ran out, claimed for this caller. */
export async function claimDue(db: Queryable, channel: DeliveryChannel, limit: number): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<ClaimedDelivery & { createdAt: Date; firstFailedAt: Date | null }>({
    name: 'claim-deliveries',
    text: `
      with due as (
        select id from notification_deliveries
         where channel = $1 and ((status = 'pending' and next_at <= now()) or (status = 'sending' and lease_until < now()))
         order by next_at limit $2 for update skip locked),
      claimed as (
        update notification_deliveries d set status = 'sending', lease_until = now() + make_interval(secs => $3)
          from due where d.id = due.id
        returning d.*)
      select c.id, c.notification_id as "notificationId", c.channel, c.target, c.attempts, c.first_failed_at as "firstFailedAt",
             json_build_object('id', n.id, 'kind', n.kind, 'pathwayId', n.pathway_id, 'organisation', n.organisation,
                               'data', n.data, 'createdAt', n.created_at) as notification
        from claimed c join notifications n on n.id = c.notification_id
       order by c.next_at`,
    values: [channel, limit, LEASE_SECONDS],
  });
  return rows.map((row) => ({
    ...row,
    firstFailedAt: row.firstFailedAt?.toISOString(),
    notification: { ...row.notification, createdAt: new Date(row.notification.createdAt).toISOString() },
  })) as ClaimedDelivery[];
}

const setStatus = (db: Queryable, id: string, status: string, extra = '', values: unknown[] = []) =>
  db.query(`update notification_deliveries set status = '${status}', lease_until = null${extra} where id = $1`, [id, ...values]);

export const markSent = (db: Queryable, id: string) => setStatus(db, id, 'sent', ', sent_at = now(), last_error = null');
/** Kept for the person's daily digest. */
export const markHeld = (db: Queryable, id: string) => setStatus(db, id, 'held');
export const markSkipped = (db: Queryable, id: string, why: string) => setStatus(db, id, 'skipped', ', last_error = $2', [why]);
export const markFailed = (db: Queryable, id: string, error: string) => setStatus(db, id, 'failed', ', last_error = $2', [error.slice(0, 500)]);

/** Tries again later: 5 s, then double each time, at most `maxSeconds`. */
export async function markRetry(db: Queryable, id: string, error: string, maxSeconds: number): Promise<void> {
  await db.query(
    `update notification_deliveries
        set status = 'pending', lease_until = null, attempts = attempts + 1, last_error = $2,
            first_failed_at = coalesce(first_failed_at, now()),
            next_at = now() + make_interval(secs => least($3::float8, 5 * power(2, least(attempts, 20))))
      where id = $1`,
    [id, error.slice(0, 500), maxSeconds],
  );
}

/** Whether a delivery has failed for longer than `giveUpSeconds` (its first failure counts). */
export const failingTooLong = (delivery: Pick<ClaimedDelivery, 'firstFailedAt'>, giveUpSeconds: number, now = Date.now()) =>
  delivery.firstFailedAt !== undefined && now - Date.parse(delivery.firstFailedAt) >= giveUpSeconds * 1000;
