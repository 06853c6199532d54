import type { AuditEntry } from '../domain/pathway.js';
import type { Projection } from '../domain/projection.js';
import { entryHash, GENESIS_HASH, type ChainedEntry } from './audit-chain.js';
import { notificationsOf } from '../notify/derive.js';
import { resolveIncident } from './incidents.js';
import { insertNotifications } from './notifications.js';
import type { Queryable } from './pool.js';

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
  const { rows } = await db.query<{ hash: string }>({
    name: 'previous-hash',
    text: 'select hash from audit_entries where pathway_id = $1 and seq = $2',
    values: [pathwayId, seq - 1],
  });
  if (!rows[0]) throw new Error(`audit entry ${seq - 1} of pathway ${pathwayId} is missing: entries are written in order`);
  return rows[0].hash;
}

/** The entries as rows, each linked to the one before by its hash. */
function chainedRows(pathwayId: string, entries: AuditEntry[], prevHash: string) {
  return entries.map((entry) => {
    const fields = chained(pathwayId, entry);
    const hash = entryHash(prevHash, fields);
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
}

/**
 * A batch in one statement, so one round trip and atomic without a transaction: the entries and
 * their escalations (a retried batch finds them there and adds nothing), and the projection (the
 * pathway row with the actions it accepts and its whole view, its organisations, its stages with their blockers),
 * unless a newer version is stored (the same version again writes the same content).
 */
const WRITE_BATCH = `
  with entries as (
    select * from jsonb_to_recordset($1::jsonb) as e("pathwayId" uuid, seq int, kind text, type text, stage text, "occurredAt" timestamptz,
      "actorId" text, "actorRole" text, "actorOrg" text, "actionId" text, "requestId" text, escalation text, data jsonb,
      "prevHash" text, hash text)),
  inserted as (
    insert into audit_entries (pathway_id, seq, kind, type, stage, occurred_at, actor_id, actor_role, actor_org, action_id,
                               request_id, escalation, data, prev_hash, hash)
    select "pathwayId", seq, kind, type, stage, "occurredAt", "actorId", "actorRole", "actorOrg", "actionId", "requestId",
           escalation, data, "prevHash", hash from entries
    on conflict (pathway_id, seq) do nothing),
  escalated as (
    insert into escalations (pathway_id, seq, kind, stage, raised_at)
    select "pathwayId", seq, escalation, stage, "occurredAt" from entries where escalation is not null
    on conflict (pathway_id, seq) do nothing),
  updated as (
    update pathways set status = $3, current_stage = $4, overdue = $5, closure_reason = $6, closed_at = $7,
           projection_version = $8, final_view = $9, available_actions = $12::jsonb, view = $13::jsonb, updated_at = now()
     where id = $2 and projection_version <= $8
    returning id),
  removed as (
    delete from pathway_organisations where pathway_id in (select id from updated) and organisation <> all($10::text[])),
  added as (
    insert into pathway_organisations (pathway_id, organisation) select id, unnest($10::text[]) from updated on conflict do nothing)
  insert into pathway_stages (pathway_id, stage, status, ready_at, started_at, ended_at, due_at, overdue, blockers)
  select u.id, s.stage, s.status, s."readyAt", s."startedAt", s."endedAt", s."dueAt", s.overdue, s.blockers
    from updated u, jsonb_to_recordset($11::jsonb) as s(stage text, status text, "readyAt" timestamptz, "startedAt" timestamptz,
                                                     "endedAt" timestamptz, "dueAt" timestamptz, overdue boolean, blockers jsonb)
  on conflict (pathway_id, stage) do update set status = excluded.status, ready_at = excluded.ready_at,
    started_at = excluded.started_at, ended_at = excluded.ended_at, due_at = excluded.due_at, overdue = excluded.overdue,
    blockers = excluded.blockers`;

/**
 * A pathway's referrals, transfer and assignments, when it has or had any (most never do, and pay
 * nothing for them), and the incidents the pathway holds open itself (a transfer not prepared by
 * its deadline). Written only while this batch's projection is the stored one: a retry after a
 * newer batch landed leaves that one's rows. Upserts and deletes in one statement.
 */
const WRITE_SHARES = `
  with current as (select id from pathways where id = $1 and projection_version = $2),
  shares as (
    select * from jsonb_to_recordset($3::jsonb) as s(id text, kind text, stage text, "from" text, "to" text, status text, escalated boolean, "dueAt" timestamptz)),
  unshared as (
    delete from pathway_shares where pathway_id in (select id from current) and share_id not in (select id from shares)),
  shared as (
    insert into pathway_shares (pathway_id, share_id, kind, stage, from_org, to_org, status, escalated, due_at)
    select c.id, s.id, s.kind, s.stage, s."from", s."to", s.status, s.escalated, s."dueAt" from current c, shares s
    on conflict (pathway_id, share_id) do update set status = excluded.status, escalated = excluded.escalated, due_at = excluded.due_at,
      to_org = excluded.to_org, from_org = excluded.from_org),
  listed as (select * from jsonb_to_recordset($5::jsonb) as i(kind text, detail text)),
  resolved as (
    update incidents set resolved_at = now()
     where pathway_id in (select id from current) and kind = 'transfer-not-prepared' and resolved_at is null
       and kind not in (select kind from listed)),
  raised as (
    insert into incidents (pathway_id, kind, detail) select c.id, l.kind, l.detail from current c, listed l
    on conflict (pathway_id, kind) where resolved_at is null do nothing),
  assigned as (select * from jsonb_to_recordset($4::jsonb) as a(scope text, assignee text, org text)),
  unassigned as (
    delete from pathway_assignments where pathway_id in (select id from current) and (scope, organisation) not in (select scope, org from assigned))
  insert into pathway_assignments (pathway_id, scope, assignee, organisation)
  select c.id, a.scope, a.assignee, a.org from current c, assigned a
  on conflict (pathway_id, scope, organisation) do update set assignee = excluded.assignee`;

async function writeShares(pool: Queryable, p: PersistBatch['projection']): Promise<void> {
  await pool.query({ name: 'write-shares', text: WRITE_SHARES, values: [p.pathwayId, p.version, JSON.stringify(p.shares ?? []), JSON.stringify(p.assignments ?? []), JSON.stringify(p.incidents ?? [])] });
}

/**
 * Whether lists hide the person's name, for pathways whose supervisors ever chose (most never do,
 * and their batches touch no person's record), while this batch's projection is the stored one.
 */
async function writeNameHidden(pool: Queryable, p: PersistBatch['projection']): Promise<void> {
  await pool.query({
    name: 'write-name-hidden',
    text: `update people set name_hidden = $3
            where pathway_id = $1 and name_hidden is distinct from $3
              and exists (select 1 from pathways where id = $1 and projection_version = $2)`,
    values: [p.pathwayId, p.version, p.nameHidden],
  });
}

/** The final view of a closed pathway: its view (older workers sent it apart, as `finalView`). */
const finalViewOf = (p: Projection) => p.finalView ?? (p.status === 'closed' ? (p.view ?? null) : null);

/** Writes a batch exactly once: a retried batch finds its entries already there and changes nothing. */
export async function persistBatch(pool: Queryable, batch: PersistBatch): Promise<void> {
  const { pathwayId, entries, projection: p } = batch;
  const prevHash = entries.length ? await previousHash(pool, pathwayId, entries[0]!.seq) : GENESIS_HASH;
  // Named: a statement this size is parsed and planned once per connection, not per batch.
  await pool.query({
    name: 'write-batch',
    text: WRITE_BATCH,
    values: [
      JSON.stringify(chainedRows(pathwayId, entries, prevHash)),
      p.pathwayId, p.status, p.currentStage, p.overdue, p.closureReason ?? null, p.closedAt ?? null, p.version, finalViewOf(p),
      p.organisations, JSON.stringify(p.stages),
      // Absent from batches of older workers: stored as null, which worklists show as unknown.
      p.availableActions ? JSON.stringify(p.availableActions) : null,
      // Never left behind by a batch without one: a read then asks the workflow rather than show an older state.
      p.view ? JSON.stringify(p.view) : null,
    ],
  });
  if (p.shares || p.assignments) await writeShares(pool, p);
  if (p.nameHidden !== undefined) await writeNameHidden(pool, p);
  // Keyed by the entries that raise them: a retried batch tells nobody twice.
  const told = notificationsOf(batch);
  if (told.length) await insertNotifications(pool, told);
  // Only once the entries are in; a failure here retries the batch, which then adds nothing.
  if (batch.resolvesIncident) await resolveIncident(pool, pathwayId);
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
