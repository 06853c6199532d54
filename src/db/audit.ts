import type { AuditEntry, Projection } from '../domain/pathway.js';
import { entryHash, GENESIS_HASH, type ChainedEntry } from './audit-chain.js';
import { resolveIncident } from './incidents.js';
import { inTransaction, type Pool, type Queryable } from './pool.js';

/** What one pathway hands to PostgreSQL in one go: new audit entries and its latest projection. */
export interface PersistBatch {
  pathwayId: string;
  entries: AuditEntry[];
  projection: Projection;
  /** Set when earlier batches were refused: writing this one ends the pathway's incident. */
  resolvesIncident?: boolean;
}

function chained(pathwayId: string, entry: AuditEntry): ChainedEntry {
  return {
    pathwayId,
    seq: entry.seq,
    kind: entry.kind,
    type: entry.type,
    stage: entry.stage,
    occurredAt: new Date(entry.occurredAt).toISOString(),
    actorId: entry.actor?.id ?? null,
    actorRole: entry.actor?.role ?? null,
    actorOrg: entry.actor?.org ?? null,
    actionId: entry.actionId ?? null,
    requestId: entry.requestId ?? null,
    escalation: entry.escalation ?? null,
    data: entry.data,
  };
}

async function previousHash(db: Queryable, pathwayId: string, seq: number): Promise<string> {
  if (seq === 1) return GENESIS_HASH;
  const { rows } = await db.query<{ hash: string }>('select hash from audit_entries where pathway_id = $1 and seq = $2', [pathwayId, seq - 1]);
  if (!rows[0]) throw new Error(`audit entry ${seq - 1} of pathway ${pathwayId} is missing: entries are written in order`);
  return rows[0].hash;
}

/** Inserts an entry linked to the one before; returns its hash. */
async function insertEntry(db: Queryable, pathwayId: string, entry: AuditEntry, prevHash: string): Promise<string> {
  const fields = chained(pathwayId, entry);
  const hash = entryHash(prevHash, fields);
  await db.query(
    `insert into audit_entries (pathway_id, seq, kind, type, stage, occurred_at, actor_id, actor_role, actor_org, action_id,
                                request_id, escalation, data, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict (pathway_id, seq) do nothing`,
    [pathwayId, fields.seq, fields.kind, fields.type, fields.stage, fields.occurredAt, fields.actorId, fields.actorRole,
      fields.actorOrg, fields.actionId, fields.requestId, fields.escalation, JSON.stringify(fields.data), prevHash, hash],
  );
  if (entry.escalation) {
    await db.query(
      `insert into escalations (pathway_id, seq, kind, stage, raised_at) values ($1, $2, $3, $4, $5)
       on conflict (pathway_id, seq) do nothing`,
      [pathwayId, entry.seq, entry.escalation, entry.stage, entry.occurredAt],
    );
  }
  return hash;
}

async function updateProjection(db: Queryable, p: Projection) {
  const { rowCount } = await db.query(
    `update pathways set status = $2, current_stage = $3, overdue = $4, closure_reason = $5, closed_at = $6,
            projection_version = $7, final_view = $8, updated_at = now()
      where id = $1 and projection_version < $7`,
    [p.pathwayId, p.status, p.currentStage, p.overdue, p.closureReason ?? null, p.closedAt ?? null, p.version, p.finalView ?? null],
  );
  if (!rowCount) return;
  await db.query('delete from pathway_organisations where pathway_id = $1 and organisation <> all($2::text[])', [p.pathwayId, p.organisations]);
  await db.query(
    'insert into pathway_organisations (pathway_id, organisation) select $1, unnest($2::text[]) on conflict do nothing',
    [p.pathwayId, p.organisations],
  );
  await db.query(
    `insert into pathway_stages (pathway_id, stage, status, ready_at, started_at, ended_at, due_at, overdue)
     select $1, s.stage, s.status, s."readyAt", s."startedAt", s."endedAt", s."dueAt", s.overdue
       from jsonb_to_recordset($2::jsonb) as s(stage text, status text, "readyAt" timestamptz, "startedAt" timestamptz,
                                               "endedAt" timestamptz, "dueAt" timestamptz, overdue boolean)
     on conflict (pathway_id, stage) do update set status = excluded.status, ready_at = excluded.ready_at,
       started_at = excluded.started_at, ended_at = excluded.ended_at, due_at = excluded.due_at, overdue = excluded.overdue`,
    [p.pathwayId, JSON.stringify(p.stages)],
  );
}

/** Writes a batch exactly once: a retried batch finds its entries already there and changes nothing. */
export async function persistBatch(pool: Pool, batch: PersistBatch): Promise<void> {
  await inTransaction(pool, async (client) => {
    let prevHash = batch.entries.length ? await previousHash(client, batch.pathwayId, batch.entries[0]!.seq) : GENESIS_HASH;
    for (const entry of batch.entries) prevHash = await insertEntry(client, batch.pathwayId, entry, prevHash);
    await updateProjection(client, batch.projection);
    if (batch.resolvesIncident) await resolveIncident(client, batch.pathwayId);
  });
}

/** The action an action id stands for in a pathway's trail, with its note: what a retry is compared with. */
export async function recordedAction(
  db: Queryable,
  pathwayId: string,
  actionId: string,
): Promise<{ seq: number; type: string; data: unknown; note: string | null } | undefined> {
  const { rows } = await db.query<{ seq: number; type: string; data: unknown; note: string | null }>(
    `select a.seq, a.type, a.data, n.text as note
       from audit_entries a left join action_notes n on n.pathway_id = a.pathway_id and n.action_id = a.action_id
      where a.pathway_id = $1 and a.action_id = $2 and a.kind = 'action'`,
    [pathwayId, actionId],
  );
  return rows[0];
}
