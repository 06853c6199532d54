import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { label, t } from '../i18n.js';
import { BirthAndAge, PersonLink, type ShownPerson } from '../person.js';
import { cohortRows, CSV_COLUMNS, type CohortRow } from '../csv.js';
import { ErrorBox, Field, Free, joined, PageTitle, Table, tx, useRequest } from '../ui.js';
import { valueText } from '../facts.js';
import { ArrivalFields, arrivalBody, emptyArrival } from './arrival.js';
import { PersonForm } from './person-form.js';

type Preview = { valid: boolean; byRow: Map<number, { path: string; message: string }[]>; general: { path: string; message: string }[] };

/** The API's field problems by row: `body.people.3.person.birthDate` belongs to row 3. */
function previewOf(fields: { path: string; message: string }[]): Preview {
  const byRow = new Map<number, { path: string; message: string }[]>();
  const general: { path: string; message: string }[] = [];
  for (const field of fields) {
    const match = /^body\.people\.(\d+)\.?(.*)$/.exec(field.path);
    if (!match) general.push(field);
    else byRow.set(Number(match[1]), [...(byRow.get(Number(match[1])) ?? []), { path: match[2]!.replace(/^person\./, ''), message: field.message }]);
  }
  return { valid: fields.length === 0, byRow, general };
}

/**
 * Opens the pathways of one arrival: people added one by one or from a CSV file, checked by the
 * API first (a dry run) so every row's errors show before anything starts.
 */
export function CohortPage() {
  const [arrival, setArrival] = useState(emptyArrival);
  const [rows, setRows] = useState<CohortRow[]>([]);
  const [unknownColumns, setUnknownColumns] = useState<string[]>([]);
  const [preview, setPreview] = useState<Preview>();
  const [opened, setOpened] = useState<{ id: string; person: ShownPerson }[]>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const { busy, error, run } = useRequest();
  const change = (next: CohortRow[]) => {
    setRows(next);
    setPreview(undefined);
    setOpened(undefined);
    // Other people, another request: a resend of the same rows keeps the key and opens nothing twice.
    setKey(crypto.randomUUID());
  };
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    const parsed = cohortRows(await file.text());
    setUnknownColumns(parsed.unknownColumns);
    change([...rows, ...parsed.rows]);
  };
  const body = () => ({ ...arrivalBody(arrival), people: rows });
  const check = () =>
    run(async () => {
      try {
        await api('/v1/cohorts?dryRun=true', { method: 'POST', body: body() });
        setPreview(previewOf([]));
      } catch (caught) {
        if (!(caught instanceof ApiError && caught.problem.fields)) throw caught;
        setPreview(previewOf(caught.problem.fields));
      }
    });
  const open = () =>
    run(async () => {
      const answer = await api<{ pathways: { id: string; person: ShownPerson }[] }>('/v1/cohorts', { method: 'POST', body: body(), headers: { 'idempotency-key': key } });
      // Opened: the rows go, so the same people cannot be opened again by a second press.
      setRows([]);
      setPreview(undefined);
      setOpened(answer.pathways);
    });
  return (
    <section>
      <PageTitle>{t('nav.cohort')}</PageTitle>
      <ArrivalFields value={arrival} onChange={(value) => { setArrival(value); setPreview(undefined); setKey(crypto.randomUUID()); }} />
      <Field id="csv" label={t('cohort.csv')} hint={t('cohort.csvHint', { columns: CSV_COLUMNS.join(', ') })}>
        <input id="csv" type="file" accept=".csv,text/csv" aria-describedby="csv-hint" onChange={(event) => readFile((event.target as HTMLInputElement).files?.[0])} />
      </Field>
      {unknownColumns.length ? <p class="error" role="alert">{tx('cohort.unknownColumns', { columns: joined(unknownColumns.map((c) => <Free>{c}</Free>)) })}</p> : null}
      <PersonForm onAdd={(row) => change([...rows, row])} />
      <Table caption={t('cohort.rows', { count: rows.length })}>
        <thead>
          <tr><th scope="col">#</th><th scope="col">{t('field.familyName')}</th><th scope="col">{t('field.givenName')}</th><th scope="col">{t('field.birthDate')}</th>
            <th scope="col">{t('field.sex')}</th><th scope="col">{t('field.familyGroupId')}</th><th scope="col">{t('cohort.problems')}</th><th scope="col"><span class="sr-only">{t('cohort.remove')}</span></th></tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const problems = preview?.byRow.get(index) ?? [];
            return (
              <tr key={index} class={problems.length ? 'invalid' : ''}>
                <td>{index + 1}</td>
                <td><Free>{String(row.person.familyName ?? '')}</Free></td>
                <td><Free>{String(row.person.givenName ?? '')}</Free></td>
                <td><Free>{String(row.person.birthDate ?? '')}</Free></td>
                <td>{row.person.sex ? valueText(String(row.person.sex)) : ''}</td>
                <td><Free>{row.familyGroupId ?? ''}</Free></td>
                <td>{problems.map((p) => <div key={p.path}>{p.path ? `${label('field', p.path)}: ` : ''}<Free>{p.message}</Free></div>)}</td>
                <td><button type="button" class="link" onClick={() => change(rows.filter((_, i) => i !== index))}>{t('cohort.remove')}<span class="sr-only"> {index + 1}</span></button></td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {preview?.general.length ? <ErrorBox error={new ApiError({ status: 400, code: 'validation-failed', title: '', detail: t('cohort.arrivalProblems'), fields: preview.general })} /> : null}
      <p role="status">{preview ? (preview.valid ? t('cohort.valid', { count: rows.length }) : t('cohort.invalid', { count: preview.byRow.size })) : ''}</p>
      <div class="buttons">
        <button type="button" disabled={busy || !rows.length} onClick={check}>{t('cohort.check')}</button>
        <button type="button" disabled={busy || !preview?.valid} onClick={open}>{t('cohort.open', { count: rows.length })}</button>
      </div>
      <ErrorBox error={error} />
      {opened ? (
        <div role="status">
          <p>{t('cohort.opened', { count: opened.length })}</p>
          <ul class="opened">{opened.map((p) => <li key={p.id}><PersonLink id={p.id} person={p.person} /> <BirthAndAge person={p.person} /></li>)}</ul>
        </div>
      ) : null}
    </section>
  );
}
