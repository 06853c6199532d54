import type { Queryable } from './pool.js';

/** Records that PostgreSQL refuses a pathway's entries from `firstSeq` on; one open incident per pathway. */
export async function raiseIncident(db: Queryable, incident: { pathwayId: string; sqlState: string; firstSeq: number }): Promise<void> {
  await db.query(
    `insert into incidents (pathway_id, sql_state, first_seq) values ($1, $2, $3)
     on conflict (pathway_id) where resolved_at is null do nothing`,
    [incident.pathwayId, incident.sqlState, incident.firstSeq],
  );
}

export async function resolveIncident(db: Queryable, pathwayId: string): Promise<void> {
  await db.query('update incidents set resolved_at = now() where pathway_id = $1 and resolved_at is null', [pathwayId]);
}

/** Pathways with an open incident, oldest first (ids and codes only). */
export async function openIncidents(db: Queryable, limit = 20): Promise<{ pathwayId: string; sqlState: string; raisedAt: string }[]> {
  const { rows } = await db.query<{ pathwayId: string; sqlState: string; raisedAt: Date }>(
    `select pathway_id as "pathwayId", sql_state as "sqlState", raised_at as "raisedAt"
       from incidents where resolved_at is null order by raised_at limit $1`,
    [limit],
  );
  return rows.map((row) => ({ ...row, raisedAt: row.raisedAt.toISOString() }));
}

/** The pathway's open incident, if PostgreSQL refuses its entries: from which one on, since when. */
export async function openIncidentOf(db: Queryable, pathwayId: string): Promise<{ sqlState: string; firstUnwrittenSeq: number; since: string } | undefined> {
  const { rows } = await db.query<{ sqlState: string; firstSeq: number; raisedAt: Date }>(
    'select sql_state as "sqlState", first_seq as "firstSeq", raised_at as "raisedAt" from incidents where pathway_id = $1 and resolved_at is null',
    [pathwayId],
  );
  const row = rows[0];
  return row && { sqlState: row.sqlState, firstUnwrittenSeq: row.firstSeq, since: row.raisedAt.toISOString() };
}
