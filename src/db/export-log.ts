import type { Actor } from '../domain/model.js';
import { pageOf } from './page.js';
import type { Queryable } from './pool.js';

/** Why people on a list leave the service in a file: a fixed list, so supervisors can count and compare. */
export const EXPORT_REASONS = ['court-request', 'case-conference', 'donor-report', 'audit', 'other'] as const;
export type ExportReason = (typeof EXPORT_REASONS)[number];

export interface ExportStart {
  actor: Actor;
  list: string;
  filters: Record<string, unknown>;
  format: 'csv' | 'xlsx';
  personal: boolean;
  reason?: ExportReason;
  reasonNote?: string;
  requestId: string;
  pathways: number;
}

/** Records an export as it starts (in the export's own transaction); its rows are counted when it ends. */
export async function startExportLog(db: Queryable, e: ExportStart): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into export_log (actor_id, actor_role, actor_org, list, filters, format, personal, reason, reason_note, request_id, pathways)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [e.actor.id, e.actor.role, e.actor.org, e.list, JSON.stringify(e.filters), e.format, e.personal, e.reason ?? null, e.reasonNote ?? null, e.requestId, e.pathways],
  );
  return rows[0]!.id;
}

export async function finishExportLog(db: Queryable, id: string, rowsSent: number, finished: boolean): Promise<void> {
  await db.query('update export_log set rows_sent = $2, finished = $3 where id = $1', [id, rowsSent, finished]);
}

/** Exports newest first, a page at a time (before an entry's id); one organisation's, or all for oversight. */
export async function exportLog(db: Queryable, query: { organisation?: string; before?: number; limit: number }) {
  const { rows } = await db.query(
    `select id, at, actor_id, actor_role, actor_org, list, filters, format, personal, reason, reason_note, request_id, pathways, rows_sent, finished
       from export_log
      where ($1::text is null or actor_org = $1) and ($2::bigint is null or id < $2)
      order by id desc limit $3`,
    [query.organisation ?? null, query.before ?? null, query.limit + 1],
  );
  const { page, last } = pageOf(rows, query.limit);
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorRole: r.actor_role,
      actorOrg: r.actor_org,
      list: r.list,
      filters: r.filters,
      format: r.format,
      personal: r.personal,
      reason: r.reason,
      reasonNote: r.reason_note,
      requestId: r.request_id,
      pathways: r.pathways,
      rows: r.rows_sent,
      finished: r.finished,
    })),
    nextBefore: last ? Number(last.id) : null,
  };
}
