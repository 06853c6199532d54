import type { IncidentKind } from '../domain/projection.js';
import type { Queryable } from './pool.js';

/** Kinds an audit write's success ends: the entries are in. */
export const AUDIT_WRITE_INCIDENTS: IncidentKind[] = ['audit-write-refused', 'audit-write-late'];

/**
 * Records an incident of the pathway: PostgreSQL refuses its entries from `firstSeq` on (the
 * default kind), or they are late past their deadline; one open incident of each kind per pathway.
 */
export async function raiseIncident(
  db: Queryable,
  incident: { pathwayId: string; kind?: IncidentKind; sqlState?: string; firstSeq?: number; detail?: string },
): Promise<void> {
  // Late entries that got written meanwhile (this insert waited too) are no incident any more.
  await db.query(
    `insert into incidents (pathway_id, kind, sql_state, first_seq, detail)
     select $1, $2, $3, $4, $5
      where $2 <> 'audit-write-late' or not exists (select 1 from audit_entries where pathway_id = $1 and seq = $4)
     on conflict (pathway_id, kind) where resolved_at is null do nothing`,
    [incident.pathwayId, incident.kind ?? 'audit-write-refused', incident.sqlState ?? null, incident.firstSeq ?? null, incident.detail ?? null],
  );
}

/** Ends the pathway's open incidents of these kinds. */
export async function resolveIncident(db: Queryable, pathwayId: string, kinds: IncidentKind[] = AUDIT_WRITE_INCIDENTS): Promise<void> {
  await db.query('update incidents set resolved_at = now() where pathway_id = $1 and kind = any($2::text[]) and resolved_at is null', [pathwayId, kinds]);
}

export interface OpenIncident {
  pathwayId: string;
  kind: IncidentKind;
  sqlState: string | null;
  detail: string | null;
  raisedAt: string;
}

/** Open incidents, oldest first (ids, kinds and codes; details say what happened, never to whom). */
export async function openIncidents(db: Queryable, limit = 20): Promise<OpenIncident[]> {
  const { rows } = await db.query<Omit<OpenIncident, 'raisedAt'> & { raisedAt: Date }>(
    `select pathway_id as "pathwayId", kind, sql_state as "sqlState", detail, raised_at as "raisedAt"
       from incidents where resolved_at is null order by raised_at, id limit $1`,
    [limit],
  );
  return rows.map((row) => ({ ...row, raisedAt: row.raisedAt.toISOString() }));
}

/** The pathway's open incident, if PostgreSQL refuses its entries: from which one on, since when. */
export async function openIncidentOf(db: Queryable, pathwayId: string): Promise<{ sqlState: string; firstUnwrittenSeq: number; since: string } | undefined> {
  const { rows } = await db.query<{ sqlState: string; firstSeq: number; raisedAt: Date }>(
    `select sql_state as "sqlState", first_seq as "firstSeq", raised_at as "raisedAt"
       from incidents where pathway_id = $1 and kind = 'audit-write-refused' and resolved_at is null`,
    [pathwayId],
  );
  const row = rows[0];
  return row && { sqlState: row.sqlState, firstUnwrittenSeq: row.firstSeq, since: row.raisedAt.toISOString() };
}
