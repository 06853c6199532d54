import { useState } from 'preact/hooks';
import { api, ApiError, type ProblemError } from '../api.js';
import { has, label, t } from '../i18n.js';
import { problemMessages } from '../problem-messages.js';
import { ErrorBox, Free, PageTitle, Table, useRequest } from '../ui.js';
import { BirthAndAge, PersonLink, type ShownPerson } from '../person.js';
import { valueText } from '../facts.js';
import { ArrivalFields, arrivalBody, emptyArrival } from './arrival.js';
import { CohortFileField } from './cohort-file.js';
import { PersonForm, type CohortRow } from './person-form.js';
import { DuplicateChoice, duplicatesOf, type PossibleDuplicate } from './duplicates.js';

type RowProblem = { field: string; pointer: string; message: string };
type Preview = { valid: boolean; byRow: Map<number, RowProblem[]>; general: ProblemError[] };

/** The API's faults by row, told in the user's language: `/people/3/person/birthDate` belongs to row 3. */
function previewOf(error?: ApiError): Preview {
  const faults = error?.problem.errors ?? [];
  const messages = error ? problemMessages(error).fields : {};
  const byRow = new Map<number, RowProblem[]>();
  const general: ProblemError[] = [];
  for (const fault of faults) {
    const match = /^\/people\/(\d+)(?:\/(.*))?$/.exec(fault.pointer);
    if (!match) {
      general.push(fault);
      continue;
    }
    const problems = byRow.get(Number(match[1])) ?? [];
    const field = (match[2] ?? '').split('/').filter((s) => !/^\d+$/.test(s)).pop() ?? '';
    if (!problems.some((p) => p.pointer === fault.pointer)) problems.push({ field, pointer: fault.pointer, message: messages[fault.pointer]! });
    byRow.set(Number(match[1]), problems);
  }
  return { valid: faults.length === 0, byRow, general };
}

/**
 * Opens the pathways of one arrival: people added one by one or from a CSV file, checked by the
 * API first (a dry run) so every row's errors show before anything starts.
 */
export function CohortPage() {
  const [arrival, setArrival] = useState(emptyArrival);
  const [rows, setRows] = useState<CohortRow[]>([]);
  const [preview, setPreview] = useState<Preview>();
  const [opened, setOpened] = useState<{ id: string; person: ShownPerson; oversightTold?: true }[]>();
  // The rows a check found may be people with a pathway of ours already, with those pathways.
  const [duplicates, setDuplicates] = useState<Map<number, PossibleDuplicate[]>>(new Map());
  const [key, setKey] = useState(() => crypto.randomUUID());
  const { busy, error, run } = useRequest();
  const change = (next: CohortRow[]) => {
    // A row added or removed moves the others: what a check found of them is found again.
    if (next.length !== rows.length) setDuplicates(new Map());
    setRows(next);
    setPreview(undefined);
    setOpened(undefined);
    // Other people, another request: a resend of the same rows keeps the key and opens nothing twice.
    setKey(crypto.randomUUID());
  };
  const body = () => ({ ...arrivalBody(arrival), people: rows });
  /** A 409 possible-duplicate: each row it names waits for the coordinator, like a row at fault. */
  const duplicatesFound = (caught: unknown) => {
    const found = duplicatesOf(caught);
    if (!found) return false;
    const byRow = new Map<number, PossibleDuplicate[]>();
    for (const match of found) byRow.set(match.row ?? 0, [...(byRow.get(match.row ?? 0) ?? []), match]);
    setDuplicates(byRow);
    setPreview({ valid: false, byRow: new Map([...byRow.keys()].map((row) => [row, []])), general: [] });
    return true;
  };
  const check = () =>
    run(async () => {
      try {
        await api('/v1/cohorts?dryRun=true', { method: 'POST', body: body() });
        setPreview(previewOf());
        setDuplicates(new Map());
      } catch (caught) {
        if (duplicatesFound(caught)) return;
        if (!(caught instanceof ApiError && caught.problem.code === 'validation-failed')) throw caught;
        setPreview(previewOf(caught));
      }
    });
  const open = () =>
    run(async () => {
      const answer = await api<{ pathways: { id: string; person: ShownPerson; oversightTold?: true }[] }>('/v1/cohorts', { method: 'POST', body: body(), headers: { 'idempotency-key': key } }).catch((caught: unknown) => {
        if (duplicatesFound(caught)) return undefined;
        throw caught;
      });
      if (!answer) return;
      // Opened: the rows go, so the same people cannot be opened again by a second press.
      setRows([]);
      setPreview(undefined);
      setOpened(answer.pathways);
    });
  return (
    <section>
      <PageTitle>{t('nav.cohort')}</PageTitle>
      <ArrivalFields value={arrival} onChange={(value) => { setArrival(value); setPreview(undefined); setKey(crypto.randomUUID()); }} />
      <CohortFileField onRows={(people) => change([...rows, ...people])} />
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
                <td>
                  {problems.map((p) => <div key={p.pointer}>{has(`field.${p.field}`) ? `${label('field', p.field)}: ` : ''}{p.message}</div>)}
                  {duplicates.get(index)?.length ? (
                    <div class="warning">
                      <p>{t('duplicate.rowExplain', { count: duplicates.get(index)!.length })}</p>
                      <DuplicateChoice
                        matches={duplicates.get(index)!}
                        differentFrom={row.differentFrom ?? []}
                        onChange={(ids) => change(rows.map((r, i) => (i === index ? { ...r, differentFrom: ids } : r)))}
                        idPrefix={`different-${index}`}
                      />
                    </div>
                  ) : null}
                </td>
                <td><button type="button" class="link" onClick={() => change(rows.filter((_, i) => i !== index))}>{t('cohort.remove')}<span class="sr-only"> {index + 1}</span></button></td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {preview?.general.length ? <ErrorBox error={new ApiError({ status: 400, code: 'validation-failed', title: '', detail: t('cohort.arrivalProblems'), errors: preview.general })} /> : null}
      <p role="status">{preview ? (preview.valid ? t('cohort.valid', { count: rows.length }) : t('cohort.invalid', { count: preview.byRow.size })) : ''}</p>
      <div class="buttons">
        <button type="button" disabled={busy || !rows.length} onClick={check}>{t('cohort.check')}</button>
        <button type="button" disabled={busy || !preview?.valid} onClick={open}>{t('cohort.open', { count: rows.length })}</button>
      </div>
      <ErrorBox error={error} />
      {opened ? (
        <div role="status">
          <p>{t('cohort.opened', { count: opened.length })}</p>
          <ul class="opened">{opened.map((p) => <li key={p.id}><PersonLink id={p.id} person={p.person} /> <BirthAndAge person={p.person} />{p.oversightTold ? <span class="badge">{t('duplicate.oversightToldShort')}</span> : null}</li>)}</ul>
        </div>
      ) : null}
    </section>
  );
}
