import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

/** A cell of an exported table: text, a number, yes/no, or nothing. */
export type Cell = string | number | boolean | null;
export type ExportFormat = 'csv' | 'xlsx';
export type Separator = ';' | ',';

/** What a spreadsheet would run as a formula, or hide in front of one (OWASP: CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet shows as text: a leading apostrophe makes `=HYPERLINK(...)` or `-Ali` a plain word. */
export function neutralised(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** An old-style stream (readable-stream 2, as exceljs's zip uses) tells a full buffer in its state only. */
type Inlet = NodeJS.EventEmitter & { writableNeedDrain?: boolean; _writableState?: { needDrain: boolean } };
const full = (stream: Inlet) => stream.writableNeedDrain ?? stream._writableState?.needDrain ?? false;

/** Resolves when `stream` can take more, or throws when the caller has gone (`out` closed). */
async function drained(stream: Inlet, out: Writable): Promise<void> {
  if (out.destroyed) throw new Error('the export was not read to its end');
  if (!full(stream)) return;
  // The listener that loses the race is removed, or each wait would leave one behind.
  const done = new AbortController();
  try {
    await Promise.race([once(stream, 'drain', { signal: done.signal }), once(out, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
  if (out.destroyed) throw new Error('the export was not read to its end');
}

/**
 * Where a slow reader shows in exceljs: its sheet buffer hands 64 KiB blocks to the zip's entry
 * stream without waiting for it (utils/stream-buf.js), so that stream is the one to wait on.
 */
function sheetInlet(sheet: ExcelJS.Worksheet): Inlet | undefined {
  return (sheet as unknown as { stream?: { pipes?: Inlet[] } }).stream?.pipes?.[0];
}

const BOM = '\uFEFF';
/** Records per chunk written: one write per few hundred rows, not one per row. */
const CSV_BATCH = 500;

const csvCell = (cell: Cell) => (cell === null ? '' : typeof cell === 'string' ? neutralised(cell) : String(cell));

/** CSV with a byte order mark (Excel then reads UTF-8, Cyrillic included), written a batch of rows at a time as they come. */
async function* csvChunks(headings: string[], rows: AsyncIterable<Cell[]>, separator: Separator): AsyncGenerator<string> {
  const options = { delimiter: separator, record_delimiter: 'windows' } as const;
  yield BOM + stringify([headings], options);
  let batch: string[][] = [];
  for await (const row of rows) {
    batch.push(row.map(csvCell));
    if (batch.length === CSV_BATCH) {
      yield stringify(batch, options);
      batch = [];
    }
  }
  if (batch.length) yield stringify(batch, options);
}

/**
 * XLSX through exceljs's streaming writer: each row is committed (written out and forgotten) as it
 * comes. The writer does not wait for its reader, so the loop waits whenever the zip or `out` is full.
 */
async function writeXlsx(headings: string[], rows: AsyncIterable<Cell[]>, out: Writable, sheetName: string): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow(headings).commit();
  // Text goes in as a string value: exceljs writes a formula only for a { formula } value.
  for await (const row of rows) {
    sheet.addRow(row).commit();
    const inlet = sheetInlet(sheet);
    if (inlet) await drained(inlet, out);
    await drained(out, out);
  }
  sheet.commit();
  await book.commit();
}

/** Writes the table to a stream the response reads; rejects when the rows fail or the caller leaves. */
export function writeExport(
  format: ExportFormat,
  table: { headings: string[]; rows: AsyncIterable<Cell[]>; sheetName: string; separator: Separator },
  out: PassThrough,
): Promise<void> {
  if (format === 'csv') return pipeline(Readable.from(csvChunks(table.headings, table.rows, table.separator), { highWaterMark: 1 }), out);
  return writeXlsx(table.headings, table.rows, out, table.sheetName);
}
