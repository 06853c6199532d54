import { PassThrough } from 'node:stream';
import QueryStream from 'pg-query-stream';
import { finishExportLog, startExportLog, type ExportReason } from '../db/export-log.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import type { Logger } from '../logger.js';
import { wordsFor } from '../print/locale.js';
import { accessLogOf, type ExportSpec } from './lists.js';
import { writeExport, type Cell, type ExportFormat, type Separator } from './write.js';

export interface ExportRequest {
  actor: Actor;
  requestId: string;
  format: ExportFormat;
  separator: Separator;
  lang: string;
  /** The filters as asked, for the export log. */
  filters: Record<string, unknown>;
  reason?: ExportReason;
  reasonNote?: string;
}

/** Rows fetched from the cursor at a time: small enough to stay flat, large enough to be quick. */
const BATCH = 500;

/**
 * Starts an export: in one transaction (one snapshot, so the logs and the file name the same
 * pathways), each pathway is written to its access log by one statement and the export to the
 * export log; then rows are read through a cursor (or, for a report computed in memory, taken as
 * they are) and written out as the caller reads them. The transaction commits however the file
 * ends: rows that left are logged either way.
 */
export async function startExport(deps: { pool: Pool; logger: Logger }, spec: ExportSpec, request: ExportRequest): Promise<PassThrough> {
  const client = await deps.pool.connect();
  const accessLog = accessLogOf(spec);
  let logId: string;
  try {
    await client.query('begin isolation level repeatable read');
    const pathways = accessLog ? (await client.query(accessLog.text, accessLog.values)).rowCount ?? 0 : 0;
    logId = await startExportLog(client, {
      actor: request.actor, list: spec.list, filters: request.filters, format: request.format, personal: !!accessLog,
      reason: request.reason, reasonNote: request.reasonNote, requestId: request.requestId, pathways,
    });
    // A failure while rows are read must not undo the logs of rows already sent.
    await client.query('savepoint rows');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    client.release();
    throw error;
  }

  const words = wordsFor(request.lang);
  const out = new PassThrough();
  let sent = 0;
  const today = new Date().toISOString().slice(0, 10);
  async function* rows(): AsyncGenerator<Cell[]> {
    if ('rows' in spec) {
      for (const row of spec.rows) {
        sent++;
        yield row;
      }
      return;
    }
    const stream = client.query(new QueryStream(spec.select.text, spec.select.values, { batchSize: BATCH, highWaterMark: BATCH }));
    for await (const row of stream) {
      sent++;
      yield spec.cells(row, today);
    }
  }
  const headings = spec.columns.map((id) => words.t(`export.column.${id}`));
  void writeExport(request.format, { headings, rows: rows(), sheetName: words.t(`export.list.${spec.list}`), separator: request.separator }, out)
    .then(() => true)
    .catch((error: unknown) => {
      deps.logger.warn({ reqId: request.requestId, list: spec.list, reason: error instanceof Error ? error.message : String(error) }, 'export ended early');
      out.destroy();
      return false;
    })
    .then(async (finished) => {
      if (!finished) await client.query('rollback to savepoint rows');
      await finishExportLog(client, logId, sent, finished);
      await client.query('commit');
    })
    .catch(async (error: unknown) => {
      deps.logger.error({ reqId: request.requestId, err: error }, 'the export log could not be completed');
      await client.query('rollback').catch(() => undefined);
    })
    .finally(() => client.release());
  return out;
}
