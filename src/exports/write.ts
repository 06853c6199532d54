import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
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

/** Resolves when `out` can take more, or throws when the caller has gone. */
async function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain) return;
  await Promise.race([once(out, 'drain'), once(out, 'close')]);
  if (out.destroyed) throw new Error('the export was not read to its end');
}

async function* csvRecords(headings: string[], rows: AsyncIterable<Cell[]>): AsyncGenerator<string[]> {
  yield headings;
  for await (const row of rows) {
    yield row.map((cell) => (cell === null ? '' : typeof cell === 'string' ? neutralised(cell) : String(cell)));
  }
}

/** CSV with a byte order mark (Excel then reads UTF-8, Cyrillic included), one record per row, as rows come. */
async function writeCsv(headings: string[], rows: AsyncIterable<Cell[]>, out: Writable, separator: Separator): Promise<void> {
  await pipeline(Readable.from(csvRecords(headings, rows)), stringify({ delimiter: separator, bom: true, record_delimiter: 'windows' }), out);
}

/**
 * XLSX through exceljs's streaming writer: each row is committed (written out and forgotten) as it
 * comes. The writer does not wait for its reader, so the loop waits whenever `out` is full.
 */
async function writeXlsx(headings: string[], rows: AsyncIterable<Cell[]>, out: Writable, sheetName: string): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow(headings).commit();
  // Text goes in as a string value: exceljs writes a formula only for a { formula } value.
  for await (const row of rows) {
    sheet.addRow(row).commit();
    await drained(out);
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
  return format === 'csv' ? writeCsv(table.headings, table.rows, out, table.separator) : writeXlsx(table.headings, table.rows, out, table.sheetName);
}
