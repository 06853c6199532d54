/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Semicolons separate too, as spreadsheets in Russian write them. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

const BOOLEAN_COLUMNS = ['birthDateEstimated', 'hasIdentityDocument', 'hasBirthCertificate'];
export const CSV_COLUMNS = ['familyGroupId', 'givenName', 'familyName', 'patronymic', 'sex', 'birthDate', 'birthDateEstimated', 'arrivedWith', 'hasIdentityDocument', 'hasBirthCertificate'];

export interface CohortRow {
  familyGroupId?: string;
  person: Record<string, unknown>;
  /** Pathways a preview named as possibly this person that the coordinator says are someone else. */
  differentFrom?: string[];
}

/**
 * People from a CSV whose header names the columns (any order; unknown columns are reported).
 * Values go to the API as written: it is the API that says what is wrong with them.
 */
export function cohortRows(text: string): { rows: CohortRow[]; unknownColumns: string[] } {
  const [header = [], ...lines] = parseCsv(text.replace(/^\uFEFF/, ''));
  const columns = header.map((name) => name.trim());
  const unknownColumns = columns.filter((name) => !CSV_COLUMNS.includes(name));
  const rows = lines.map((cells) => {
    const person: Record<string, unknown> = {};
    let familyGroupId: string | undefined;
    columns.forEach((name, index) => {
      const raw = (cells[index] ?? '').trim();
      if (raw === '' || !CSV_COLUMNS.includes(name)) return;
      if (name === 'familyGroupId') familyGroupId = raw;
      else if (BOOLEAN_COLUMNS.includes(name)) person[name] = /^(true|yes|1|да)$/i.test(raw) ? true : /^(false|no|0|нет)$/i.test(raw) ? false : raw;
      else person[name] = raw;
    });
    return { ...(familyGroupId ? { familyGroupId } : {}), person };
  });
  return { rows, unknownColumns };
}
