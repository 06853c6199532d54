// What the database raises rather than a pathway: someone broke the glass, a grant waited a day for
// its review, an incident opened. Each is marked as told in the transaction that writes its
// notification, so it is told once.
import { raiseNotification } from '../db/notifications.js';
import { inTransaction, type Pool } from '../db/pool.js';
import { databaseAudience } from './catalogue.js';

export async function sweepDatabaseEvents(pool: Pool, options: { oversight: string; reviewDueSeconds: number }): Promise<void> {
  await inTransaction(pool, async (db) => {
    const granted = await db.query<{ id: string; pathwayId: string; reason: string; organisations: string[] }>(
      `update emergency_access e set told_at = now()
        where e.id in (select id from emergency_access where told_at is null order by granted_at limit 100 for update skip locked)
       returning e.id, e.pathway_id as "pathwayId", e.reason,
                 array(select organisation from pathway_organisations o where o.pathway_id = e.pathway_id order by organisation) as organisations`,
    );
    for (const g of granted.rows) {
      await raiseNotification(db, {
        eventKey: `emergency-access:${g.id}`,
        kind: 'emergency-access',
        pathwayId: g.pathwayId,
        organisation: g.organisations[0],
        data: { reason: g.reason },
        audience: databaseAudience['emergency-access'](g.organisations),
      });
    }
    const waiting = await db.query<{ id: string; pathwayId: string; reason: string }>(
      `update emergency_access e set unreviewed_told_at = now()
        where e.id in (select id from emergency_access
                        where reviewed_at is null and unreviewed_told_at is null and granted_at < now() - make_interval(secs => $1)
                        order by granted_at limit 100 for update skip locked)
       returning e.id, e.pathway_id as "pathwayId", e.reason`,
      [options.reviewDueSeconds],
    );
    for (const g of waiting.rows) {
      await raiseNotification(db, {
        eventKey: `emergency-unreviewed:${g.id}`,
        kind: 'emergency-unreviewed',
        pathwayId: g.pathwayId,
        organisation: options.oversight,
        data: { reason: g.reason },
        audience: databaseAudience['emergency-unreviewed'](options.oversight),
      });
    }
    const incidents = await db.query<{ id: string; pathwayId: string; kind: string }>(
      `update incidents i set told_at = now()
        where i.id in (select id from incidents where told_at is null order by raised_at limit 100 for update skip locked)
       returning i.id, i.pathway_id as "pathwayId", i.kind`,
    );
    for (const i of incidents.rows) {
      await raiseNotification(db, {
        eventKey: `incident:${i.id}`,
        kind: 'incident',
        pathwayId: i.pathwayId,
        organisation: options.oversight,
        data: { reason: i.kind },
        audience: databaseAudience.incident(options.oversight),
      });
    }
  });
}
