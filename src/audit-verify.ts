import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { checkAllChains } from './db/audit-chain.js';
import { openIncidents } from './db/incidents.js';
import type { Pool } from './db/pool.js';
import { workflowIdOf } from './domain/model.js';
import { queryState } from './pathways/temporal-calls.js';
import type { PathwayView } from './domain/pathway.js';

const REASONS = {
  missing: 'is missing',
  altered: 'was altered: its content no longer matches its hash',
  unlinked: 'does not link to the entry before it',
} as const;

const QUERY_TIMEOUT_MS = 5000;
/** A workflow may be a write ahead of PostgreSQL for a moment: look again before calling it missing. */
const SETTLE_TRIES = 3;
/** Further seconds a lagging pathway is looked at again before its gap is reported. */
const PENDING_TRIES = 15;
/** Open pathways compared with their workflows at the same time. */
const COMPARE_AT_ONCE = 8;

/** How many entries the workflow has produced, and its incident, when it is running and answers. */
async function workflowState(client: Client, pathwayId: string) {
  return queryState(client, pathwayId, QUERY_TIMEOUT_MS).then(({ version, incident }) => ({ version, incident }), () => undefined);
}

async function storedCount(pool: Pool, pathwayId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from audit_entries where pathway_id = $1', [pathwayId]);
  return rows[0]!.n;
}

/**
 * Whether the workflow's audit write is under way: its latest entries are late, not lost. Either
 * the write is scheduled, running or being retried (a worker that died mid-write leaves it pending
 * until it times out and runs elsewhere), or the workflow task that schedules it has not completed
 * yet (a query already sees what that task recorded, as after Temporal or a worker restarted).
 */
async function writePending(client: Client, pathwayId: string): Promise<boolean> {
  const { raw } = await client.workflow.getHandle(workflowIdOf(pathwayId)).describe();
  return Boolean(raw.pendingWorkflowTask) || (raw.pendingActivities ?? []).some((activity) => activity.activityType?.name === 'persist');
}

/**
 * The first entry a running pathway has produced that PostgreSQL does not hold, if any: the
 * workflow's own sequence number is the reference, so an entry that was never written is found.
 */
async function firstUnwritten(
  pool: Pool,
  client: Client,
  pathwayId: string,
  stored: number,
  held: Map<string, NonNullable<PathwayView['incident']>>,
): Promise<number | 'unreachable' | 'pending' | undefined> {
  for (let attempt = 1; ; attempt++) {
    const state = await workflowState(client, pathwayId);
    if (state?.incident) held.set(pathwayId, state.incident);
    const version = state?.version;
    if (version === undefined) return 'unreachable';
    if (version <= stored) return undefined;
    // A gap must last: a query can see an Update's entry before its (speculative) workflow task
    // is stored, which describe does not show, and a write under way is given time to finish.
    if (attempt >= SETTLE_TRIES + PENDING_TRIES) return (await writePending(client, pathwayId).catch(() => false)) ? 'pending' : stored + 1;
    await sleep(1000);
    stored = await storedCount(pool, pathwayId);
  }
}

async function openPathwayIds(pool: Pool): Promise<Set<string>> {
  const { rows } = await pool.query<{ id: string }>("select id from pathways where status <> 'closed'");
  return new Set(rows.map((row) => row.id));
}

/**
 * `npm run audit:verify`: recomputes every chain and, when Temporal answers, compares each open
 * pathway's chain with its workflow's sequence numbers. The exit code says whether all agree.
 */
export async function verifyAudit(pool: Pool, client: Client | undefined, out: (line: string) => void): Promise<number> {
  let pathways = 0;
  let entries = 0;
  let broken = 0;
  let unreachable = 0;
  let pending = 0;
  const open = client ? await openPathwayIds(pool) : new Set<string>();
  const held = new Map<string, NonNullable<PathwayView['incident']>>();
  const compare = async (pathwayId: string, stored: number) => {
    const missing = await firstUnwritten(pool, client!, pathwayId, stored, held);
    if (missing === 'unreachable') unreachable += 1;
    else if (missing === 'pending') pending += 1;
    else if (missing !== undefined) {
      broken += 1;
      out(`BROKEN pathway ${pathwayId}: audit entry ${missing} is missing (the workflow has recorded it; PostgreSQL does not hold it)`);
    }
  };
  // A pathway a write behind is looked at again a second later: several are compared at once.
  const comparing = new Set<Promise<void>>();
  for await (const check of checkAllChains(pool)) {
    pathways += 1;
    entries += check.entries;
    if (check.firstBroken) {
      broken += 1;
      out(`BROKEN pathway ${check.pathwayId}: audit entry ${check.firstBroken.seq} ${REASONS[check.firstBroken.reason]}`);
      continue;
    }
    if (!client || !open.has(check.pathwayId)) continue;
    if (comparing.size >= COMPARE_AT_ONCE) await Promise.race(comparing);
    const comparison = compare(check.pathwayId, check.entries).finally(() => comparing.delete(comparison));
    comparing.add(comparison);
  }
  await Promise.all(comparing);
  const incidents = await reportIncidents(pool, held, out);
  out(`Checked ${pathways} pathways and ${entries} audit entries: ${broken ? `${broken} chain(s) broken` : 'every chain verifies'}.`);
  if (incidents) out(`${incidents} open incident(s): a person must act on each (README, Reliability).`);
  out(
    client
      ? `Compared ${open.size} open pathways with their workflows${unreachable ? `; ${unreachable} did not answer` : ''}${
          pending ? `; ${pending} were still writing their latest entries (an audit write under way in Temporal: late, not missing)` : ''
        }.`
      : 'Workflows not compared: Temporal is not reachable (set TEMPORAL_ADDRESS).',
  );
  return broken || incidents ? 1 : 0;
}

/**
 * Every open incident PostgreSQL holds, and any a running workflow showed that it does not hold
 * (raised while PostgreSQL was away): a pathway stuck past a deadline is one of them. Their count.
 */
async function reportIncidents(pool: Pool, held: Map<string, NonNullable<PathwayView['incident']>>, out: (line: string) => void): Promise<number> {
  const stored = await openIncidents(pool, 10_000);
  for (const i of stored) {
    out(`INCIDENT pathway ${i.pathwayId}: ${i.kind}${i.sqlState ? ` (SQLSTATE ${i.sqlState})` : ''} since ${i.raisedAt}${i.detail ? `: ${i.detail}` : ''}`);
  }
  const known = new Set(stored.map((i) => i.pathwayId));
  const unstored = [...held].filter(([pathwayId]) => !known.has(pathwayId));
  for (const [pathwayId, incident] of unstored) {
    out(`INCIDENT pathway ${pathwayId}: ${incident.code} since ${incident.since} (held by the workflow, not yet in PostgreSQL): ${incident.message}`);
  }
  const unwritten = await continuationsWithoutRow(pool);
  for (const c of unwritten) {
    out(`INCIDENT pathway ${c.id}: transferred on ${c.closedAt} to ${c.continuation}, which has not written its row yet (its workflow retries until PostgreSQL takes it)`);
  }
  return stored.length + unstored.length + unwritten.length;
}

/** Pathways closed as transferred over a minute ago whose continuation has no row: it writes its own, and is late. */
async function continuationsWithoutRow(pool: Pool): Promise<{ id: string; continuation: string; closedAt: string }[]> {
  const { rows } = await pool.query<{ id: string; continuation: string; closedAt: Date }>(
    `select p.id, p.final_view->'transfer'->>'newPathwayId' as continuation, p.closed_at as "closedAt"
       from pathways p
      where p.closure_reason = 'transferred' and p.closed_at < now() - interval '1 minute'
        and not exists (select 1 from pathways n where n.id::text = p.final_view->'transfer'->>'newPathwayId')`,
  );
  return rows.map((row) => ({ ...row, closedAt: row.closedAt.toISOString() }));
}
