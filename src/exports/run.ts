import { PassThrough } from 'node:stream';
import QueryStream from 'pg-query-stream';
import { finishExportLog, startExportLog, type ExportReason } from '../db/export-log.js';
import { inTransaction, type Pool } from '../db/pool.js';
import type { PoolClient } from 'pg';
import { AppError } from '../errors.js';
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

/** Files read from a cursor at once by one process: each holds a database connection while its reader reads. */
const AT_ONCE = 4;
/** How long an export waits for one of those before it is refused. */
const WAIT_MS = 10_000;
/** A reader that takes nothing for this long has gone: its connection goes back to the pool. */
const STALL_MS = 60_000;
let running = 0;
const waiting: (() => void)[] = [];

/** A place among the files being written, waited for a while; refused (429) when none frees up. */
async function takeTurn(): Promise<() => void> {
  if (running >= AT_ONCE) {
    const turn = new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(wake), 1);
        resolve(false);
      }, WAIT_MS);
      waiting.push(wake);
    });
    if (!(await turn)) throw new AppError('rate-limited', 'Other files are being written just now; try again in a minute.', { retryAfterSeconds: 30 });
  } else running++;
  let given = false;
  return () => {
    if (given) return;
    given = true;
    // The place passes straight to the next waiting export, or is freed.
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

/**
 * The list's own query, kept to the pathways this export's access log names, in the list's order:
 * a pathway opened after the log was written is not in the file.
 */
function loggedOnly(select: { text: string; values: unknown[] }, requestId: string) {
  const at = select.values.length + 1;
  return {
    text: `select x.* from (select l.*, row_number() over () as export_order from (${select.text}) l) x
            where x.id in (select pathway_id from access_log where request_id = $${at} and what = 'export') order by x.export_order`,
    values: [...select.values, requestId],
  };
}

/**
 * Starts an export. First, committed: each pathway of the list written to its access log by one
 * statement, and the export to the export log; whatever then happens to the file, who took which
 * pathways away is kept. Then rows are read through a cursor (only pathways the log names), or for
 * a report computed in memory taken as they are, and written as the caller reads. At the end the
 * export log gets the rows sent and whether the file was read to its end.
 */
export async function startExport(deps: { pool: Pool; logger: Logger }, spec: ExportSpec, request: ExportRequest): Promise<PassThrough> {
  // A report computed in memory holds no connection while it is read: only cursors take a turn.
  const done = 'rows' in spec ? () => {} : await takeTurn();
  let client: PoolClient | undefined;
  let logId: string;
  const accessLog = accessLogOf(spec);
  try {
    logId = await inTransaction(deps.pool, async (tx) => {
      const pathways = accessLog ? (await tx.query(accessLog.text, accessLog.values)).rowCount ?? 0 : 0;
      return startExportLog(tx, {
        actor: request.actor, list: spec.list, filters: request.filters, format: request.format, personal: !!accessLog,
        reason: request.reason, reasonNote: request.reasonNote, requestId: request.requestId, pathways,
      });
    });
    if (!('rows' in spec)) client = await deps.pool.connect();
  } catch (error) {
    done();
    throw error;
  }

  const words = wordsFor(request.lang);
  const out = new PassThrough();
  let sent = 0;
  let progressAt = Date.now();
  const today = new Date().toISOString().slice(0, 10);
  async function* rows(): AsyncGenerator<Cell[]> {
    if ('rows' in spec) {
      for (const row of spec.rows) {
        sent++;
        yield row;
      }
      return;
    }
    const select = accessLog ? loggedOnly(spec.select, request.requestId) : spec.select;
    const stream = client!.query(new QueryStream(select.text, select.values, { batchSize: BATCH, highWaterMark: BATCH }));
    for await (const row of stream) {
      sent++;
      progressAt = Date.now();
      yield spec.cells(row, today);
    }
  }
  const stalled = setInterval(() => {
    if (Date.now() - progressAt > STALL_MS) out.destroy(new Error('the reader took nothing for a minute'));
  }, STALL_MS / 6);
  const headings = spec.columns.map((id) => words.t(`export.column.${id}`));
  void writeExport(request.format, { headings, rows: rows(), sheetName: words.t(`export.list.${spec.list}`), separator: request.separator }, out)
    .then(() => true)
    .catch((error: unknown) => {
      deps.logger.warn({ reqId: request.requestId, list: spec.list, reason: error instanceof Error ? error.message : String(error) }, 'export ended early');
      out.destroy();
      return false;
    })
    .then((finished) => {
      // A cursor left open is closed with its connection: a broken one is not given back to the pool.
      client?.release(!finished);
      client = undefined;
      return finishExportLog(deps.pool, logId, sent, finished);
    })
    .catch((error: unknown) => deps.logger.error({ reqId: request.requestId, err: error }, 'the export log could not be completed'))
    .finally(() => {
      clearInterval(stalled);
      client?.release(true);
      done();
    });
  return out;
}
