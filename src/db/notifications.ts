import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/model.js';
import type { NewNotification, NotificationData, NotificationKind } from '../notify/types.js';
import type { Queryable } from './pool.js';
import { pageOf } from './page.js';

/**
 * Writes notifications and their audiences in one statement; one whose event key is there already
 * is skipped, with its audience, so a retried write or a second sweep tells nobody twice. The
 * programme comes from the pathway's row.
 */
const INSERT = `
  with input as (
    select * from jsonb_to_recordset($1::jsonb) as n(id uuid, "eventKey" text, kind text, "pathwayId" uuid, organisation text, data jsonb, audience jsonb)),
  inserted as (
    insert into notifications (id, event_key, kind, pathway_id, organisation, data)
    select i.id, i."eventKey", i.kind, i."pathwayId", i.organisation,
           i.data || coalesce((select jsonb_build_object('programme', p.programme) from pathways p where p.id = i."pathwayId"), '{}'::jsonb)
      from input i
    on conflict (event_key) do nothing
    returning id)
  insert into notification_audience (notification_id, organisation, roles, subject, except_subject)
  select i.id, a.organisation, coalesce(a.roles, '{}'), a.subject, a."except"
    from input i join inserted using (id), jsonb_to_recordset(i.audience) as a(organisation text, roles text[], subject text, "except" text)`;

export async function insertNotifications(db: Queryable, notifications: NewNotification[]): Promise<void> {
  if (!notifications.length) return;
  const rows = notifications.map((n) => ({ id: randomUUID(), ...n }));
  await db.query({ name: 'insert-notifications', text: INSERT, values: [JSON.stringify(rows)] });
}

/** One notification, once: a second call with the same event key does nothing. */
export const raiseNotification = (db: Queryable, notification: NewNotification) => insertNotifications(db, [notification]);

/** The notifications a person is told of: in their organisation's audience by role or by name, and not the one excepted. */
const VISIBLE = `exists (select 1 from notification_audience a
   where a.notification_id = n.id and a.organisation = $1
     and (a.subject = $2 or (a.subject is null and $3 = any (a.roles)))
     and a.except_subject is distinct from $2)`;
const UNREAD = `not exists (select 1 from notification_reads r where r.organisation = $1 and r.subject = $2 and r.notification_id = n.id)`;

export interface InboxItem {
  id: string;
  kind: NotificationKind;
  pathwayId: string | null;
  data: NotificationData;
  createdAt: string;
  read: boolean;
}

/** Where a page of the inbox continues: after this moment (as `timestamptz::text`) and id. */
export interface InboxPosition {
  createdAt: string;
  id: string;
}

export async function inbox(
  db: Queryable,
  actor: Actor,
  page: { unreadOnly: boolean; limit: number; after?: InboxPosition },
): Promise<{ items: InboxItem[]; next?: InboxPosition }> {
  const { rows } = await db.query<InboxItem & { createdAt: Date; position: string }>(
    `select n.id, n.kind, n.pathway_id as "pathwayId", n.data, n.created_at as "createdAt", n.created_at::text as position,
            not (${UNREAD}) as read
       from notifications n
      where ${VISIBLE} ${page.unreadOnly ? `and ${UNREAD}` : ''}
        and ($4::timestamptz is null or (n.created_at, n.id) < ($4::timestamptz, $5::uuid))
      order by n.created_at desc, n.id desc
      limit $6`,
    [actor.org, actor.id, actor.role, page.after?.createdAt ?? null, page.after?.id ?? null, page.limit + 1],
  );
  const { page: shown, last } = pageOf(rows, page.limit);
  const items = shown.map(({ position: _position, ...row }) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  return { items, ...(last ? { next: { createdAt: last.position, id: last.id } } : {}) };
}

export async function unreadCount(db: Queryable, actor: Actor): Promise<number> {
  const { rows } = await db.query<{ count: string }>({
    name: 'unread-notifications',
    text: `select count(*) from notifications n where ${VISIBLE} and ${UNREAD}`,
    values: [actor.org, actor.id, actor.role],
  });
  return Number(rows[0]!.count);
}

/** Marks notifications read, only those the person is told of (others are ignored); `ids` absent: all. */
export async function markRead(db: Queryable, actor: Actor, ids?: string[]): Promise<void> {
  await db.query(
    `insert into notification_reads (organisation, subject, notification_id)
     select $1, $2, n.id from notifications n
      where ${VISIBLE} and ${UNREAD} and ($4::uuid[] is null or n.id = any ($4::uuid[]))
     on conflict do nothing`,
    [actor.org, actor.id, actor.role, ids ?? null],
  );
}
