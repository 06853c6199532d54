import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { loadSchemas } from '../console-config.js';
import { has, t } from '../i18n.js';
import { ErrorBox, Field, Free, joined, tx, useRequest } from '../ui.js';
import type { CohortRow } from './person-form.js';

/** What the API read in a cohort's file (POST /v1/cohorts/csv). */
interface CohortFile {
  encoding: string;
  unknownColumns: string[];
  people: CohortRow[];
  problems: { row: number; line: number; message: string }[];
}

/** The columns a file may have: the family group and the fields of the opening schema. */
function useColumns(): string[] {
  const [columns, setColumns] = useState<string[]>([]);
  useEffect(() => {
    void loadSchemas().then((loaded) => setColumns(['familyGroupId', ...Object.keys(loaded.openPathway.properties.person.properties ?? {})]));
  }, []);
  return columns;
}

/** Why a file cannot be read, in the user's language, with what to do. */
function Unreadable({ error }: { error: unknown }) {
  if (!(error instanceof ApiError && error.problem.code === 'unreadable-file')) return <ErrorBox error={error} />;
  const reason = `cohortFile.unreadable.${error.problem.reason ?? 'not-text'}`;
  return (
    <div class="error" role="alert">
      <p>{has(reason) ? t(reason) : t('cohortFile.unreadable.not-text')} {t('cohortFile.saveAsCsv')}</p>
    </div>
  );
}

/**
 * A cohort's people from a CSV file, as people save it: the API reads the file in whatever
 * encoding it is in and says which it used, so wrong letters are seen before anything opens.
 */
export function CohortFileField({ onRows }: { onRows: (rows: CohortRow[]) => void }) {
  const columns = useColumns();
  const [read, setRead] = useState<CohortFile>();
  const { busy, error, run } = useRequest();
  const readFile = (file: File | undefined) =>
    file &&
    run(async () => {
      setRead(undefined);
      const answer = await api<CohortFile>('/v1/cohorts/csv', { method: 'POST', body: file });
      setRead(answer);
      onRows(answer.people);
    });
  return (
    <>
      <Field id="csv" label={t('cohort.csv')} hint={t('cohort.csvHint', { columns: columns.join(', ') })}>
        <input id="csv" type="file" accept=".csv,.txt,text/csv" aria-describedby="csv-hint" disabled={busy} onChange={(event) => readFile((event.target as HTMLInputElement).files?.[0])} />
      </Field>
      {read ? (
        <div role="status">
          <p>{t('cohortFile.readAs', { encoding: t(`cohortFile.encoding.${read.encoding}`), count: read.people.length })}</p>
          <p>{t('cohortFile.dates')}</p>
        </div>
      ) : null}
      {read?.unknownColumns.length ? <p class="error" role="alert">{tx('cohort.unknownColumns', { columns: joined(read.unknownColumns.map((c) => <Free>{c}</Free>)) })}</p> : null}
      {read?.problems.length ? (
        <ul class="error" role="alert">
          {read.problems.map((p) => <li key={p.row}>{tx('cohortFile.lineProblem', { line: String(p.line), problem: <Free>{p.message}</Free> })}</li>)}
        </ul>
      ) : null}
      {error ? <Unreadable error={error} /> : null}
    </>
  );
}
