import type { Queryable } from './pool.js';

export interface AuditTrailEntry {
  seq: number;
  kind: 'action' | 'event';
  type: string;
  stage: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; role: string; org: string } | null;
  actionId: string | null;
  requestId: string | null;
  outcome: Record<string, unknown>;
  note: string | null;
  correctedBy: number | null;
}

/** A pathway's audit trail, oldest first, with the notes sent with its actions. */
export async function auditTrail(db: Queryable, pathwayId: string): Promise<AuditTrailEntry[]> {
  const { rows } = await db.query(
    `select a.seq, a.kind, a.type, a.stage, a.occurred_at, a.recorded_at, a.actor_id, a.actor_role, a.actor_org,
            a.action_id, a.request_id, a.data, n.text as note
       from audit_entries a
       left join action_notes n on n.pathway_id = a.pathway_id and n.action_id = a.action_id
      where a.pathway_id = $1
      order by a.seq`,
    [pathwayId],
  );
  // A correction names the entry it replaces: the original stays, marked.
  const corrections = new Map<number, number>(
    rows.filter((row) => row.type === 'correction' && row.kind === 'action').map((row) => [Number(row.data.entry), row.seq]),
  );
  return rows.map((row) => ({
    seq: row.seq,
    kind: row.kind,
    type: row.type,
    stage: row.stage,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    actor: row.actor_id ? { id: row.actor_id, role: row.actor_role, org: row.actor_org } : null,
    actionId: row.action_id,
    requestId: row.request_id,
    outcome: row.data,
    note: row.note,
    correctedBy: corrections.get(row.seq) ?? null,
  }));
}
