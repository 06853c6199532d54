import { randomBytes, randomUUID } from 'node:crypto';
import { inTransaction, type Pool, type Queryable } from './pool.js';

/** How a hook stands: sending, switched off by a supervisor, or paused after its receiver failed too long. */
export type WebhookStatus = 'active' | 'disabled' | 'paused';

/** A hook as its organisation's supervisors see it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  description: string;
  enabled: boolean;
  status: WebhookStatus;
  pausedAt: string | null;
  pausedReason: string | null;
  failingSince: string | null;
  /** Deliveries waiting: to be sent, or held while the hook is paused or off. */
  pending: number;
  held: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** What signing needs: the secret, and the one before it while it is still honoured. */
export interface WebhookTarget {
  id: string;
  organisation: string;
  url: string;
  enabled: boolean;
  pausedAt: Date | null;
  failingSince: Date | null;
  /** While its receiver fails: nothing is sent to it before then. */
  nextProbeAt: Date | null;
  secrets: string[];
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** The previous secret keeps signing this long after a rotation. */
const PREVIOUS_SECRET_HOURS = 24;

const VIEW = `w.id, w.url, w.description, w.enabled, w.paused_at, w.paused_reason, w.failing_since, w.created_by, w.created_at, w.updated_at,
  (select count(*)::int from notification_deliveries d where d.channel = 'webhook' and d.target = w.id::text and d.status in ('pending', 'sending')) as pending,
  (select count(*)::int from notification_deliveries d where d.channel = 'webhook' and d.target = w.id::text and d.status = 'held') as held`;

type ViewRow = {
  id: string; url: string; description: string; enabled: boolean; paused_at: Date | null; paused_reason: string | null; failing_since: Date | null;
  created_by: string; created_at: Date; updated_at: Date; pending: number; held: number;
};

const iso = (value: Date | null) => value?.toISOString() ?? null;
const asView = (row: ViewRow): WebhookView => ({
  id: row.id,
  url: row.url,
  description: row.description,
  enabled: row.enabled,
  status: !row.enabled ? 'disabled' : row.paused_at ? 'paused' : 'active',
  pausedAt: iso(row.paused_at),
  pausedReason: row.paused_reason,
  failingSince: iso(row.failing_since),
  pending: row.pending,
  held: row.held,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** The organisation's hooks, oldest first (an organisation has a handful). */
export async function listWebhooks(db: Queryable, organisation: string): Promise<WebhookView[]> {
  const { rows } = await db.query<ViewRow>(`select ${VIEW} from webhooks w where w.organisation = $1 order by w.created_at, w.id`, [organisation]);
  return rows.map(asView);
}

/** One hook of the organisation; another organisation's is not found. */
export async function findWebhook(db: Queryable, organisation: string, id: string): Promise<WebhookView | undefined> {
  const { rows } = await db.query<ViewRow>(`select ${VIEW} from webhooks w where w.organisation = $1 and w.id = $2`, [organisation, id]);
  return rows[0] && asView(rows[0]);
}

export async function createWebhook(
  db: Queryable,
  hook: { organisation: string; url: string; description: string; createdBy: string },
): Promise<{ webhook: WebhookView; secret: string }> {
  const id = randomUUID();
  const secret = newSecret();
  await db.query('insert into webhooks (id, organisation, url, secret, description, created_by) values ($1, $2, $3, $4, $5, $6)', [
    id, hook.organisation, hook.url, secret, hook.description, hook.createdBy,
  ]);
  return { webhook: (await findWebhook(db, hook.organisation, id))!, secret };
}

/** Moves a hook's deliveries from one status to another (held while paused or off, pending again on resuming). */
async function moveDeliveries(db: Queryable, id: string, from: string[], to: 'pending' | 'held' | 'skipped', why?: string) {
  await db.query(
    `update notification_deliveries
        set status = $3, lease_until = null,
            next_at = case when $3 = 'pending' then now() else next_at end,
            first_failed_at = case when $3 = 'pending' then null else first_failed_at end,
            last_error = coalesce($4, last_error)
      where channel = 'webhook' and target = $1 and status = any($2::text[])`,
    [id, from, to, why ?? null],
  );
}

/**
 * Changes a hook's address, description or switch. Switching it on resumes it: a pause after
 * failures ends and its held deliveries are sent; switching it off holds what waits for it.
 */
export async function updateWebhook(
  pool: Pool,
  organisation: string,
  id: string,
  change: { url?: string; description?: string; enabled?: boolean },
): Promise<WebhookView | undefined> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ enabled: boolean; paused_at: Date | null }>(
      'select enabled, paused_at from webhooks where organisation = $1 and id = $2 for update',
      [organisation, id],
    );
    const before = rows[0];
    if (!before) return undefined;
    const resume = change.enabled === true && (!before.enabled || before.paused_at !== null);
    await client.query(
      `update webhooks set url = coalesce($3, url), description = coalesce($4, description), enabled = coalesce($5, enabled),
              paused_at = case when $6 then null else paused_at end, paused_reason = case when $6 then null else paused_reason end,
              failing_since = case when $6 then null else failing_since end,
              next_probe_at = case when $6 then null else next_probe_at end, updated_at = now()
        where organisation = $1 and id = $2`,
      [organisation, id, change.url ?? null, change.description ?? null, change.enabled ?? null, resume],
    );
    if (resume) await moveDeliveries(client, id, ['held'], 'pending');
    if (change.enabled === false && before.enabled) await moveDeliveries(client, id, ['pending'], 'held');
    return findWebhook(client, organisation, id);
  });
}

/** Removes a hook; what still waited for it is skipped, and its delivery log goes with it. */
export async function deleteWebhook(pool: Pool, organisation: string, id: string): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query('delete from webhooks where organisation = $1 and id = $2', [organisation, id]);
    if (rowCount) await moveDeliveries(client, id, ['pending', 'sending', 'held'], 'skipped', 'webhook deleted');
    return Boolean(rowCount);
  });
}

/** A new secret; the one before it keeps signing beside it for a day. */
export async function rotateSecret(db: Queryable, organisation: string, id: string): Promise<string | undefined> {
  const secret = newSecret();
  const { rowCount } = await db.query(
    `update webhooks set previous_secret = secret, previous_until = now() + make_interval(hours => $4), secret = $3, updated_at = now()
      where organisation = $1 and id = $2`,
    [organisation, id, secret, PREVIOUS_SECRET_HOURS],
  );
  return rowCount ? secret : undefined;
}

/** The hooks deliveries are for, by id, with the secrets that sign for each. */
export async function webhookTargets(db: Queryable, ids: string[]): Promise<Map<string, WebhookTarget>> {
  const { rows } = await db.query<{
    id: string; organisation: string; url: string; enabled: boolean; paused_at: Date | null; failing_since: Date | null; next_probe_at: Date | null;
    secret: string; previous: string | null;
  }>(
    `select id, organisation, url, enabled, paused_at, failing_since, next_probe_at, secret,
            case when previous_until > now() then previous_secret end as previous
       from webhooks where id = any($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, {
    id: r.id, organisation: r.organisation, url: r.url, enabled: r.enabled, pausedAt: r.paused_at, failingSince: r.failing_since, nextProbeAt: r.next_probe_at,
    secrets: r.previous ? [r.secret, r.previous] : [r.secret],
  }]));
}

/** One request to a receiver, as the delivery log shows it. */
export async function recordAttempt(
  db: Queryable,
  attempt: { webhookId: string; deliveryId: string; statusCode?: number; error?: string; durationMs: number },
): Promise<void> {
  await db.query('insert into webhook_attempts (webhook_id, delivery_id, status_code, error, duration_ms) values ($1, $2, $3, $4, $5)', [
    attempt.webhookId, attempt.deliveryId, attempt.statusCode ?? null, attempt.error?.slice(0, 500) ?? null, Math.round(attempt.durationMs),
  ]);
}

/** The receiver answered: it is no longer failing. */
export async function receiverAnswered(db: Queryable, id: string): Promise<void> {
  await db.query('update webhooks set failing_since = null, next_probe_at = null where id = $1 and failing_since is not null', [id]);
}

/**
 * The receiver failed: since when it has been failing (now, if it was not), and when to knock
 * again: after as long as it has been failing (so the waits double), from 5 seconds up to
 * `retryMaxSeconds`. Every message for it waits till then, however fresh, so a receiver that is
 * down gets one request per wait, not one per message.
 */
export async function receiverFailed(db: Queryable, id: string, retryMaxSeconds: number): Promise<{ failingSince: Date; nextProbeAt: Date }> {
  const { rows } = await db.query<{ failing_since: Date; next_probe_at: Date }>(
    `update webhooks set failing_since = coalesce(failing_since, now()),
            next_probe_at = now() + least(greatest(now() - coalesce(failing_since, now()), interval '5 seconds'), make_interval(secs => $2))
      where id = $1 returning failing_since, next_probe_at`,
    [id, retryMaxSeconds],
  );
  const now = new Date();
  return { failingSince: rows[0]?.failing_since ?? now, nextProbeAt: rows[0]?.next_probe_at ?? now };
}

/**
 * Pauses a hook whose receiver failed too long and holds what waits for it. `paused` is the
 * moment of this pause, only when this call paused it (a hook already paused is left as it is).
 */
export async function pauseWebhook(pool: Pool, id: string, reason: string): Promise<{ paused?: Date; organisation?: string }> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ paused_at: Date; organisation: string }>(
      `update webhooks set paused_at = now(), paused_reason = $2, updated_at = now()
        where id = $1 and paused_at is null returning paused_at, organisation`,
      [id, reason.slice(0, 500)],
    );
    if (!rows[0]) return {};
    await moveDeliveries(client, id, ['pending', 'sending'], 'held');
    return { paused: rows[0].paused_at, organisation: rows[0].organisation };
  });
}

/**
 * Takes the hook's turn to send for up to `seconds`: false while another sender holds it (a second
 * worker, or a delivery round retried while the first still runs), so a receiver gets one request at a time.
 */
export async function takeTurn(db: Queryable, id: string, seconds: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'update webhooks set busy_until = now() + make_interval(secs => $2) where id = $1 and (busy_until is null or busy_until < now())',
    [id, seconds],
  );
  return Boolean(rowCount);
}

export async function endTurn(db: Queryable, id: string): Promise<void> {
  await db.query('update webhooks set busy_until = null where id = $1', [id]);
}

/**
 * Claimed deliveries not tried this round go back to waiting, their attempts unchanged; with
 * `notBefore`, not before then (their receiver is failing: no use knocking sooner).
 */
export async function releaseDeliveries(db: Queryable, ids: string[], notBefore?: Date): Promise<void> {
  if (!ids.length) return;
  await db.query(
    `update notification_deliveries set status = 'pending', lease_until = null, next_at = greatest(next_at, now(), $2::timestamptz)
      where id = any($1::uuid[]) and status = 'sending'`,
    [ids, notBefore ?? null],
  );
}
