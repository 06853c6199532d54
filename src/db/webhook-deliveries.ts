import type { Queryable } from './pool.js';
import { pageOf } from './page.js';

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'held' | 'skipped' | 'failed';

/** One delivery as the log shows it: the notification's kind, never its data. */
export interface WebhookDeliveryView {
  id: string;
  notificationId: string;
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  /** What the receiver answered last (its HTTP status), when it answered. */
  lastStatusCode: number | null;
  lastAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
}

/** A page's position: the last row's creation time (as PostgreSQL prints it) and id. */
export type LogPosition = { createdAt: string; id: string };

/** A hook's deliveries, newest first; one row more than asked tells whether another page follows. */
export async function webhookDeliveries(
  db: Queryable,
  webhookId: string,
  page: { limit: number; after?: LogPosition },
): Promise<{ items: WebhookDeliveryView[]; last?: LogPosition }> {
  const { rows } = await db.query<{
    id: string; notification_id: string; kind: string; status: DeliveryStatus; attempts: number; last_error: string | null;
    sent_at: Date | null; created_at: Date; cursor_at: string; status_code: number | null; attempted_at: Date | null;
  }>(
    `select d.id, d.notification_id, n.kind, d.status, d.attempts, d.last_error, d.sent_at, d.created_at, d.created_at::text as cursor_at,
            a.status_code, a.attempted_at
       from notification_deliveries d
       join notifications n on n.id = d.notification_id
       left join lateral (select status_code, attempted_at from webhook_attempts a
                           where a.delivery_id = d.id order by a.attempted_at desc, a.id desc limit 1) a on true
      where d.channel = 'webhook' and d.target = $1
        and ($2::timestamptz is null or (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
      order by d.created_at desc, d.id desc
      limit $4`,
    [webhookId, page.after?.createdAt ?? null, page.after?.id ?? null, page.limit + 1],
  );
  const { page: shown, last } = pageOf(rows, page.limit);
  return {
    items: shown.map((r) => ({
      id: r.id,
      notificationId: r.notification_id,
      kind: r.kind,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      lastStatusCode: r.status_code,
      lastAttemptAt: r.attempted_at?.toISOString() ?? null,
      sentAt: r.sent_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    })),
    last: last && { createdAt: last.cursor_at, id: last.id },
  };
}

/**
 * Fans notifications not yet fanned out to the hooks of every organisation in their audience: one
 * delivery per notification and hook, held when the hook is paused; a hook switched off gets none.
 * Each notification is marked once done, in the same statement; the unique (notification, channel,
 * target) makes a second pass harmless. Returns how many notifications it looked at.
 */
export async function fanOutToWebhooks(db: Queryable, limit: number): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `with batch as (
       select id from notifications where webhooks_fanned_at is null
        order by created_at limit $1 for update skip locked
     ), made as (
       insert into notification_deliveries (id, notification_id, channel, target, status, next_at)
       select gen_random_uuid(), t.notification_id, 'webhook', w.id::text, case when w.paused_at is null then 'pending' else 'held' end, now()
         from (select distinct a.notification_id, a.organisation from notification_audience a join batch b on b.id = a.notification_id) t
         join webhooks w on w.organisation = t.organisation and w.enabled
       on conflict (notification_id, channel, target) do nothing
       returning 1
     ), done as (
       update notifications set webhooks_fanned_at = now() where id in (select id from batch) returning 1
     )
     select (select count(*)::int from done) as count`,
    [limit],
  );
  return rows[0]?.count ?? 0;
}
