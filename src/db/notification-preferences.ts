// Each person's e-mail preferences, and where their e-mail goes (people_seen, from the token's claims).
import type { Queryable } from './pool.js';

export type EmailChoice = 'each' | 'daily' | 'off';

export interface NotificationPreferences {
  email: EmailChoice;
  /** The language e-mails are written in; unset: the one the sign-in says, else English. */
  language: 'en' | 'ru' | null;
}

export const DEFAULT_PREFERENCES: NotificationPreferences = { email: 'each', language: null };

export async function readPreferences(db: Queryable, organisation: string, subject: string): Promise<NotificationPreferences> {
  const { rows } = await db.query<NotificationPreferences>('select email, language from notification_preferences where organisation = $1 and subject = $2', [organisation, subject]);
  return rows[0] ?? DEFAULT_PREFERENCES;
}

export async function writePreferences(db: Queryable, organisation: string, subject: string, preferences: NotificationPreferences): Promise<NotificationPreferences> {
  const { rows } = await db.query<NotificationPreferences>(
    `insert into notification_preferences (organisation, subject, email, language) values ($1, $2, $3, $4)
     on conflict (organisation, subject) do update set email = excluded.email, language = excluded.language, updated_at = now()
     returning email, language`,
    [organisation, subject, preferences.email, preferences.language],
  );
  return rows[0]!;
}

/** Where one person's e-mail goes and how they want it. */
export interface Recipient {
  organisation: string;
  subject: string;
  address: string | null;
  /** Their chosen language, else the one their sign-in says. */
  language: string | null;
  email: EmailChoice;
}

/** The people an e-mail target (`<organisation>/<subject>`) names; unknown people are absent. */
export async function recipients(db: Queryable, targets: string[]): Promise<Map<string, Recipient>> {
  const pairs = targets.map((target) => {
    const at = target.indexOf('/');
    return [target.slice(0, at), target.slice(at + 1)] as const;
  });
  const { rows } = await db.query<Recipient>(
    `select s.organisation, s.subject, s.email as address, coalesce(p.language, s.language) as language, coalesce(p.email, 'each') as email
       from unnest($1::text[], $2::text[]) as t(organisation, subject)
       join people_seen s on s.organisation = t.organisation and s.subject = t.subject
       left join notification_preferences p on p.organisation = s.organisation and p.subject = s.subject`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  return new Map(rows.map((row) => [`${row.organisation}/${row.subject}`, row]));
}

/** How many single e-mails this person was sent in the last hour (the rate limit; digests do not count). */
export async function sentInLastHour(db: Queryable, target: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(`select count(*)::int as count from email_sends where target = $1 and sent_at > now() - interval '1 hour'`, [target]);
  return rows[0]!.count;
}

export async function recordSend(db: Queryable, deliveryId: string, target: string): Promise<void> {
  await db.query('insert into email_sends (delivery_id, target) values ($1, $2) on conflict do nothing', [deliveryId, target]);
}
