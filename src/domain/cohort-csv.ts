import { PersonRecord } from './open.js';

/**
 * A cohort as a spreadsheet saves it: one header row naming the columns (any order), one person
 * a row. Values go to the API as written, so the API says what is wrong with them; only yes/no
 * columns are read here, as Russian spreadsheets write them too (да/нет).
 */

/** The columns a cohort file may have: the family group and every field of a person's record. */
export const CSV_COLUMNS = ['familyGroupId', ...Object.keys(PersonRecord.shape)];
const BOOLEAN_COLUMNS = new Set(['birthDateEstimated', 'hasIdentityDocument', 'hasBirthCertificate']);
const SEPARATORS = [',', ';', '\t'];

/** The separator of the header line: commas, semicolons (spreadsheets in Russian) or tabs (Excel's "Unicode text"). */
function separatorOf(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (separator: string) => firstLine.split(separator).length;
  return SEPARATORS.reduce((best, separator) => (count(separator) > count(best) ? separator : best));
}

/** RFC 4180 rows, each with the line it starts on: quoted fields may hold separators, quotes ("") and line breaks. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const separator = separatorOf(text);
  const rows: { line: number; cells: string[] }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    row.push(field);
    rows.push({ line: rowLine, cells: row });
    (row = []), (field = ''), (rowLine = line);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line += 1;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') continue;
    else if (c === '\n' || c === '\r') endRow();
    else field += c;
  }
  if (field !== '' || row.length) endRow();
  return rows.filter((r) => r.cells.some((cell) => cell.trim() !== ''));
}

/** One person of the file as the cohort request takes them. */
export interface CohortEntry {
  familyGroupId?: string;
  person: Record<string, string | boolean>;
}

export interface CohortFile {
  /** The header as written. */
  columns: string[];
  /** Columns that are not a person's field: their values are left out. */
  unknownColumns: string[];
  /** One entry per row, in the order of the file. */
  people: CohortEntry[];
  /** The file's line each person starts on (the header is line 1). */
  lines: number[];
  /** What the file itself gets wrong, by row (index into people); the values are judged by the cohort preview. */
  problems: { row: number; line: number; message: string }[];
}

const yesNo = (raw: string): boolean | string => (/^(true|yes|y|1|да|д)$/i.test(raw) ? true : /^(false|no|n|0|нет|н)$/i.test(raw) ? false : raw);

/** The people of a cohort file's text. */
export function cohortFile(text: string): CohortFile {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  const columns = (header?.cells ?? []).map((name) => name.trim());
  const unknownColumns = columns.filter((name) => name !== '' && !CSV_COLUMNS.includes(name));
  const problems: CohortFile['problems'] = [];
  const people = rows.map(({ line, cells }, index) => {
    const person: Record<string, string | boolean> = {};
    let familyGroupId: string | undefined;
    if (cells.length > columns.length) problems.push({ row: index, line, message: `has ${cells.length} cells where the header names ${columns.length} columns` });
    columns.forEach((name, at) => {
      const raw = (cells[at] ?? '').trim();
      if (raw === '' || !CSV_COLUMNS.includes(name)) return;
      if (name === 'familyGroupId') familyGroupId = raw;
      else person[name] = BOOLEAN_COLUMNS.has(name) ? yesNo(raw) : raw;
    });
    return { ...(familyGroupId ? { familyGroupId } : {}), person };
  });
  return { columns, unknownColumns, people, lines: rows.map((r) => r.line), problems };
}
