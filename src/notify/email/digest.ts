// The daily digest: once a day at the digest hour, each person's held notifications in one e-mail.
import { createHash } from 'node:crypto';
import { markSent, markSkipped } from '../../db/deliveries.js';
import { recipients } from '../../db/notification-preferences.js';
import { inTransaction, type Queryable } from '../../db/pool.js';
import type { PoolClient } from 'pg';
import { recipientOf, type EmailDeps } from './deliver.js';
import { mailDomain, mailerFor, type Mailer } from './mailer.js';
import { mailLanguage, publicUrlOf, renderDigest, type MailNotification } from './render.js';
import { digestBoundary } from './schedule.js';

/** People handled per call: the dispatcher calls again a few seconds later. */
const PEOPLE_PER_CALL = 20;
/** People with notifications held since before the boundary and no digest since it. */
async function peopleDue(db: Queryable, boundary: Date): Promise<string[]> {
  const { rows } = await db.query<{ target: string }>(
    `select distinct d.target from notification_deliveries d
       left join email_digests g on d.target = case g.organisation when '' then g.subject else g.organisation || '/' || g.subject end
      where d.channel = 'email' and d.status = 'held' and d.created_at < $1 and (g.sent_at is null or g.sent_at < $1)
      limit $2`,
    [boundary, PEOPLE_PER_CALL],
  );
  return rows.map((row) => row.target);
}

/** This person's held deliveries, locked so no other worker sends them meanwhile. */
async function heldFor(client: PoolClient, target: string, boundary: Date) {
  const { rows } = await client.query<{ id: string } & MailNotification>(
    `select d.id, n.kind, n.pathway_id as "pathwayId", n.data from notification_deliveries d
       join notifications n on n.id = d.notification_id
      where d.channel = 'email' and d.target = $1 and d.status = 'held' and d.created_at < $2
      order by n.created_at, d.id
      for update of d skip locked`,
    [target, boundary],
  );
  return rows;
}

async function sendOne(deps: EmailDeps, mailer: Mailer, target: string, boundary: Date): Promise<void> {
  await inTransaction(deps.pool, async (client) => {
    const held = await heldFor(client, target, boundary);
    if (!held.length) return;
    const person = recipientOf(target, await recipients(client, [target]));
    if (!person?.address || person.email === 'off') {
      for (const { id } of held) await markSkipped(client, id, person?.address ? 'e-mail turned off by the person' : 'no e-mail address known for this person');
      return;
    }
    const mail = renderDigest(mailLanguage(person.language), held, publicUrlOf(deps.config), deps.config.organisations);
    // The same id for this person and this digest, whichever worker sends it.
    const digestId = createHash('sha256').update(`${target}\n${boundary.toISOString()}`).digest('hex').slice(0, 32);
    await mailer.send({ to: person.address, ...mail, messageId: `<digest-${digestId}@${mailDomain(deps.config.email.from)}>` });
    // An operator's address (mailto:) is its own organisation-less person.
    const [organisation, subject] = target.startsWith('mailto:') ? ['', target] : [target.slice(0, target.indexOf('/')), target.slice(target.indexOf('/') + 1)];
    await client.query(
      `insert into email_digests (organisation, subject, sent_at) values ($1, $2, now())
       on conflict (organisation, subject) do update set sent_at = excluded.sent_at`,
      [organisation, subject],
    );
    for (const { id } of held) await markSent(client, id);
  });
}

/** Sends the digests that are due; one that fails is tried again on a later call. */
export async function sendDigests(deps: EmailDeps): Promise<void> {
  const mailer = deps.mailer ?? mailerFor(deps.config.email);
  if (!mailer) return;
  const boundary = digestBoundary(new Date(), deps.config.email);
  for (const target of await peopleDue(deps.pool, boundary)) {
    try {
      await sendOne(deps, mailer, target, boundary);
    } catch (error) {
      deps.logger.warn('a digest could not be sent; it is tried again later', { reason: error instanceof Error ? error.message : String(error) });
    }
  }
}
