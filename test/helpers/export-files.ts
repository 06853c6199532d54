import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';

/** A CSV answer (after its byte order mark) parsed as a spreadsheet would read it (fast-csv comes with exceljs). */
export function parseCsv(text: string, delimiter = ';'): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString(text, { delimiter })
      .on('data', (row: string[]) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

/** The first sheet of an XLSX answer. */
export async function readXlsx(bytes: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book.worksheets[0]!;
}
