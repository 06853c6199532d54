/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Fetched when someone opens "Export" (export-controls.tsx): the console's parts come in `kit`.
import type { h } from 'preact';
import type { Kit } from './kit.js';

const REASONS = ['court-request', 'case-conference', 'donor-report', 'audit', 'other'];
/** CSV with `;` opens in Excel as set up in most of the region; `,` elsewhere. */
const FORMATS = { 'csv;': { format: 'csv', separator: ';' }, 'csv,': { format: 'csv', separator: ',' }, xlsx: { format: 'xlsx', separator: undefined } } as const;
const ACCEPT = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

export interface ExportProps {
  list: string;
  filters?: Record<string, string>;
  personal: boolean;
  titled?: boolean;
}

/** The export form, made of the console's parts. */
export function exportForm(kit: Kit) {
  const { h, Fragment, useState, query, language, saveFile, t, ErrorBox, Field, Select, useRequest } = kit;

  /**
   * Takes the list as shown (its filters) away as a CSV or XLSX file. A list that names people
   * asks why first: the reason goes to the export log, each pathway to its access log.
   */
  function ExportForm({ list, filters = {}, personal }: ExportProps): h.JSX.Element {
    const [choice, setChoice] = useState<keyof typeof FORMATS>('csv;');
    const { format, separator } = FORMATS[choice];
    const [reason, setReason] = useState('');
    const [note, setNote] = useState('');
    const saving = useRequest();
    const day = new Date().toISOString().slice(0, 10);
    const save = () =>
      saving.run(() =>
        saveFile(
          `/v1/exports/${list}${query({ ...filters, format, ...(separator ? { separator } : {}), lang: language(), ...(personal ? { reason, note: note.trim() } : {}) })}`,
          `${list}-${day}.${format}`,
          ACCEPT[format],
        ),
      );
    return (
      <>
        <Field id={`x-${list}-format`} label={t('export.format')}>
          <Select id={`x-${list}-format`} value={choice} onChange={(v) => setChoice(v as keyof typeof FORMATS)}
            options={[{ value: 'csv;', label: t('export.csvSemicolon') }, { value: 'csv,', label: t('export.csvComma') }, { value: 'xlsx', label: 'Excel (XLSX)' }]} />
        </Field>
        {personal ? (
          <>
            <Field id={`x-${list}-reason`} label={t('export.reason')} hint={t('export.reasonHint')}>
              <Select id={`x-${list}-reason`} value={reason} required onChange={setReason}
                options={[{ value: '', label: t('export.chooseReason') }, ...REASONS.map((r) => ({ value: r, label: t(`export.reason.${r}`) }))]} />
            </Field>
            <Field id={`x-${list}-note`} label={t('export.note')}>
              <input id={`x-${list}-note`} value={note} maxLength={300} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
            </Field>
          </>
        ) : null}
        <button type="button" onClick={save} disabled={saving.busy || (personal && !reason)}>{saving.busy ? t('export.downloading') : t('export.download')}</button>
        <ErrorBox error={saving.error} />
      </>
    );
  }

  return ExportForm;
}
