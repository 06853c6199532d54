import { createHash } from 'node:crypto';
import type { Queryable } from './pool.js';

/** The hash an entry at seq 1 points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry the chain covers: everything but where and when it was stored. */
export interface ChainedEntry {
  pathwayId: string;
  seq: number;
  kind: string;
  type: string;
  stage: string;
  occurredAt: string;
  actorId: string | null;
  actorRole: string | null;
  actorOrg: string | null;
  actionId: string | null;
  requestId: string | null;
  escalation: string | null;
  data: unknown;
}

/** JSON with object keys sorted at every depth, so the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(prevHash: string, entry: ChainedEntry): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(entry)).digest('hex');
}

/** The outcome of checking one pathway's chain. */
export interface ChainCheck {
  pathwayId: string;
  entries: number;
  verified: boolean;
  /** The first entry that does not fit the chain, and how. */
  firstBroken?: { seq: number; reason: 'missing' | 'altered' | 'unlinked' };
}

interface StoredEntry extends Omit<ChainedEntry, 'occurredAt'> {
  occurredAt: Date;
  prevHash: string;
  hash: string;
}

/** Walks one pathway's audit entries in order, recomputing every hash. */
export async function checkChain(db: Queryable, pathwayId: string): Promise<ChainCheck> {
  // The projection's count is read first: entries only grow, so one written between the two
  // reads is counted by neither or by the entries alone, never as missing.
  const { rows: counted } = await db.query<{ version: number }>('select projection_version as version from pathways where id = $1', [pathwayId]);
  const { rows } = await db.query<StoredEntry>(
    `select pathway_id as "pathwayId", seq, kind, type, stage, occurred_at as "occurredAt", actor_id as "actorId",
            actor_role as "actorRole", actor_org as "actorOrg", action_id as "actionId", request_id as "requestId",
            escalation, data, prev_hash as "prevHash", hash
       from audit_entries where pathway_id = $1 order by seq`,
    [pathwayId],
  );
  let expectedPrev = GENESIS_HASH;
  for (const [index, row] of rows.entries()) {
    const broken = (reason: 'missing' | 'altered' | 'unlinked', seq = row.seq) => ({ pathwayId, entries: rows.length, verified: false, firstBroken: { seq, reason } });
    if (row.seq !== index + 1) return broken('missing', index + 1);
    if (row.prevHash !== expectedPrev) return broken('unlinked');
    const { prevHash, hash, ...fields } = row;
    if (entryHash(prevHash, { ...fields, occurredAt: fields.occurredAt.toISOString() }) !== hash) return broken('altered');
    expectedPrev = hash;
  }
  // Entries removed from the end leave no gap; the projection, written with them, still counts them.
  if ((counted[0]?.version ?? 0) > rows.length) {
    return { pathwayId, entries: rows.length, verified: false, firstBroken: { seq: rows.length + 1, reason: 'missing' } };
  }
  return { pathwayId, entries: rows.length, verified: true };
}

/** Checks every pathway's chain, a pathway at a time. */
export async function* checkAllChains(db: Queryable): AsyncGenerator<ChainCheck> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await db.query<{ id: string }>('select id from pathways where id > $1 order by id limit 500', [after]);
    if (rows.length === 0) return;
    for (const { id } of rows) yield await checkChain(db, id);
    after = rows.at(-1)!.id;
  }
}
