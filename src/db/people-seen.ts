import type { Actor, Role } from '../domain/model.js';
import type { Queryable } from './pool.js';

/** Records that this person signed in (their organisation, id, role, address and language as the token says). */
export async function rememberPerson(db: Queryable, actor: Actor, contact: { email?: string; language?: string } = {}): Promise<void> {
  await db.query({
    name: 'remember-person',
    text: `insert into people_seen (organisation, subject, role, email, language) values ($1, $2, $3, $4, $5)
           on conflict (organisation, subject) do update
             set role = excluded.role, email = excluded.email, language = excluded.language, last_seen_at = now()`,
    values: [actor.org, actor.id, actor.role, contact.email ?? null, contact.language ?? null],
  });
}

export interface PersonSeen {
  id: string;
  role: Role;
  lastSeenAt: string;
}

/** The people of an organisation its sign-in has seen, most recently seen first. */
export async function peopleSeen(db: Queryable, organisation: string, limit: number): Promise<PersonSeen[]> {
  const { rows } = await db.query<{ id: string; role: Role; lastSeenAt: Date }>(
    `select subject as id, role, last_seen_at as "lastSeenAt" from people_seen
      where organisation = $1 order by last_seen_at desc, subject limit $2`,
    [organisation, limit],
  );
  return rows.map((row) => ({ ...row, lastSeenAt: row.lastSeenAt.toISOString() }));
}

/** Whether the sign-in has seen this person in this organisation. */
export async function wasSeen(db: Queryable, organisation: string, subject: string): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from people_seen where organisation = $1 and subject = $2', [organisation, subject]);
  return (rowCount ?? 0) > 0;
}
