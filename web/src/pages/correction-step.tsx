import type { z } from 'zod';
import type { HistoryEntry } from '../../../src/api/schemas.js';
import { useState } from 'preact/hooks';
import { CORRECTABLE_STAGES } from '../../../workflows/state.js';
import { api } from '../api.js';
import { valueText } from '../facts.js';
import { formProblems } from '../form-validation.js';
import { formatDate, label, t } from '../i18n.js';
import { fieldMessage } from '../problem-messages.js';
import { describedBy, Labelled, payloadOf, SchemaFields, type JsonSchema } from '../schema-form.js';
import type { Session } from '../session.js';
import { ErrorBox, isolated, useLoad } from '../ui.js';
import { useActionChoices } from './action-choices.js';
import type { AvailableAction, PathwayState } from './pathway-types.js';
import { Confirm, Refusal, Unanswered, useStepSend, type FormIds, type OnRecorded } from './step-send.js';

/** One line of the trail, as the API answers it. */
type Entry = z.infer<typeof HistoryEntry>;

/** A recorded step as it stands now: what its latest correction made it, and the version a correction names. */
interface Recorded {
  seq: number;
  type: string;
  occurredAt: string;
  by: string;
  version: number;
  payload: Record<string, unknown>;
}

/** The steps a correction may replace: of a correctable stage, with something to change, not recorded by the person correcting. */
function correctable(entries: Entry[], schemas: Record<string, JsonSchema>, me: string): Recorded[] {
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  return entries
    .filter((e) => e.kind === 'action' && e.type !== 'correction' && (CORRECTABLE_STAGES as readonly string[]).includes(e.stage))
    .filter((e) => Object.keys(schemas[e.type]?.properties ?? {}).length && e.actor?.id !== me)
    .map((e) => {
      const latest = e.correctedBy ? bySeq.get(e.correctedBy) : undefined;
      const payload = (latest?.outcome.payload as Record<string, unknown> | undefined) ?? e.outcome;
      return { seq: e.seq, type: e.type, occurredAt: e.occurredAt, by: e.actor?.id ?? '', version: e.correctedBy ?? e.seq, payload };
    })
    .reverse();
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A correction as the recorded step's own form: the supervisor picks the step from the history,
 * sees its form filled with what it records now, changes what was wrong and gives a reason. The
 * correction carries the step's whole corrected payload (as the API takes it) and is sent only
 * when something changed; the confirmation lists what changes.
 */
export function CorrectionStep(props: {
  pathwayId: string;
  state: PathwayState;
  session: Session;
  onDone: OnRecorded;
  onReload?: () => void;
  ids: FormIds;
  action: AvailableAction;
  schemas: Record<string, JsonSchema>;
}) {
  const { ids, schemas } = props;
  const history = useLoad(() => api<{ entries: Entry[] }>(`/v1/pathways/${encodeURIComponent(props.pathwayId)}/history`), [props.pathwayId]);
  const steps = history.data ? correctable(history.data.entries, schemas, props.session.actor.id) : [];
  const [seq, setSeq] = useState<number>();
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const sending = useStepSend(props.pathwayId, props.onDone, '/payload/payload/');
  const step = steps.find((s) => s.seq === seq);
  const schema = step ? schemas[step.type] : undefined;
  const options = useActionChoices(props.state, props.session, schema);
  const choices = options.choices(values);
  const problems = schema ? formProblems(schema, values, choices) : {};
  const corrected = payloadOf(values);
  const changed = step ? Object.keys({ ...step.payload, ...corrected }).filter((name) => !same(step.payload[name], corrected[name])) : [];
  const reasons = schemas.correction?.properties?.reason?.enum ?? [];
  const valid = Boolean(step) && !Object.keys(problems).length && changed.length > 0 && reasons.includes(reason);
  const messages: Record<string, string> = {
    ...Object.fromEntries(touched.filter((name) => problems[name]).map((name) => [name, fieldMessage(problems[name]!.code, problems[name]!.params)])),
    ...sending.refusal?.fields,
  };
  const pick = (value: string) => {
    const next = steps.find((s) => String(s.seq) === value);
    setSeq(next?.seq);
    setValues(next ? { ...next.payload } : {});
    setTouched([]);
  };
  const send = () =>
    void sending
      .send({ type: 'correction', payload: { entry: step!.seq, version: step!.version, payload: corrected, reason }, actionId: crypto.randomUUID() })
      .then(() => setConfirming(false));
  const entryId = `${ids.fields}-entry`;
  const reasonId = `${ids.fields}-reason`;
  const entryMessage = touched.includes('entry') && !step ? fieldMessage('required') : undefined;
  const reasonMessage = sending.refusal?.fields['/payload/reason'] ?? (touched.includes('reason') && !reason ? fieldMessage('required') : undefined);
  return (
    <form aria-label={label('action', 'correction')} noValidate onSubmit={(event) => { event.preventDefault(); if (valid) setConfirming(true); }}>
      <ErrorBox error={history.error} />
      <Refusal refusal={sending.refusal} shown={[...Object.keys(schema?.properties ?? {}), '/payload/reason']} onReload={props.onReload} />
      <Labelled id={entryId} label={`${t('pathway.correctWhich')} *`} message={entryMessage}>
        <select id={entryId} required value={seq === undefined ? '' : String(seq)} aria-invalid={entryMessage ? true : undefined} aria-describedby={describedBy(entryId, undefined, entryMessage)} onChange={(event) => { pick((event.target as HTMLSelectElement).value); setTouched(['entry']); }}>
          <option value="">{steps.length || !history.data ? label('value', 'choose') : t('common.nothingToChoose')}</option>
          {steps.map((s) => (
            <option key={s.seq} value={String(s.seq)}>{t('pathway.correctEntry', { seq: s.seq, action: label('action', s.type), date: formatDate(s.occurredAt, true), by: isolated(s.by) })}</option>
          ))}
        </select>
      </Labelled>
      {step && schema ? (
        <fieldset>
          <legend>{t('pathway.correctedValues', { action: label('action', step.type) })}</legend>
          <SchemaFields schema={schema} values={values} idPrefix={`${ids.fields}-corrected`} choices={choices} fixed={options.fixed} messages={messages}
            onChange={(next, name) => {
              setValues(options.change(next));
              setTouched((before) => [...before, name]);
              sending.forget(name);
            }} />
          {!changed.length ? <p class="muted">{t('pathway.correctNothingChanged')}</p> : null}
        </fieldset>
      ) : null}
      <Labelled id={reasonId} label={`${label('field', 'reason')} *`} message={reasonMessage}>
        <select id={reasonId} required value={reason} aria-invalid={reasonMessage ? true : undefined} aria-describedby={describedBy(reasonId, undefined, reasonMessage)}
          onChange={(event) => { setReason((event.target as HTMLSelectElement).value); setTouched((before) => [...before, 'reason']); }}>
          <option value="">{label('value', 'choose')}</option>
          {reasons.map((r) => <option key={r} value={r}>{label('value', r)}</option>)}
        </select>
      </Labelled>
      {confirming && step ? (
        <Confirm id={ids.confirm} yes={t('pathway.confirmYes', { action: label('action', 'correction') })} busy={sending.busy} onYes={send} onBack={() => setConfirming(false)}>
          <p>{t('pathway.confirm.correction', { seq: step.seq, action: label('action', step.type) })}</p>
          <ul>
            {changed.map((name) => (
              <li key={name}>{t('pathway.correctChange', { field: label('field', name), from: shown(step.payload[name]), to: shown(corrected[name]) })}</li>
            ))}
          </ul>
        </Confirm>
      ) : (
        <button type="submit" disabled={!valid || sending.busy || Boolean(sending.unanswered)}>{t('pathway.record', { action: label('action', 'correction') })}</button>
      )}
      <Unanswered body={sending.unanswered} busy={sending.busy} send={(body) => void sending.send(body)} />
    </form>
  );
}

/** A recorded value in words; nothing recorded reads as a dash. */
const shown = (value: unknown) => (value === undefined ? '–' : Array.isArray(value) ? value.map(valueText).join(', ') : valueText(value));
