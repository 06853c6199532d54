import { useEffect, useState } from 'preact/hooks';
import { loadSchemas } from '../console-config.js';
import { fieldMessage } from '../problem-messages.js';
import { label, t } from '../i18n.js';
import { formProblems } from '../form-validation.js';
import { initialValues, payloadOf, SchemaFields, type Choices, type JsonSchema } from '../schema-form.js';
import type { Session } from '../session.js';
import { Field } from '../ui.js';
import { useActionChoices } from './action-choices.js';
import { confirmationText, needsConfirmation } from './confirmations.js';
import { CorrectionStep } from './correction-step.js';
import type { AvailableAction, PathwayState } from './pathway-types.js';
import { Confirm, Refusal, Unanswered, useStepSend, type FormIds, type OnRecorded } from './step-send.js';


interface Props {
  pathwayId: string;
  actions: AvailableAction[];
  /** The pathway and who writes: for the choices of open fields (organisations, referrals, colleagues). */
  state: PathwayState;
  session: Session;
  onDone: OnRecorded;
  /** Reads the pathway again, after a refusal that says it may have moved on. */
  onReload?: () => void;
  ids: FormIds;
  /** Whether the form opens on no step (exceptions), rather than on the next routine one. */
  startEmpty?: boolean;
}

/**
 * The actions the caller may send now: one step chosen, its form generated from its payload schema.
 * The form starts empty (nothing decided for the person), is sent only when valid, and stays on its
 * step with its input after a refusal.
 */
export function ActionForm(props: Props) {
  const { actions, ids } = props;
  const [schemas, setSchemas] = useState<Record<string, JsonSchema>>();
  const types = [...new Set(actions.map((a) => a.type))];
  const [type, setType] = useState(props.startEmpty ? '' : (types[0] ?? ''));
  useEffect(() => void loadSchemas().then((loaded) => setSchemas(loaded.actions)), []);
  if (!types.length) return <p>{t('pathway.noActions')}</p>;
  const action = actions.find((a) => a.type === type);
  const schema = action && schemas?.[action.type];
  return (
    <div class="step-form">
      <Field id={ids.type} label={t('pathway.action')}>
        <select id={ids.type} value={type} onChange={(event) => setType((event.target as HTMLSelectElement).value)}>
          {props.startEmpty ? <option value="">{t('pathway.chooseStep')}</option> : null}
          {types.map((a) => <option key={a} value={a}>{label('action', a)}</option>)}
        </select>
      </Field>
      {action && schema && action.type === 'correction' ? <CorrectionStep key={type} {...props} action={action} schemas={schemas} /> : null}
      {action && schema && action.type !== 'correction' ? <StepForm key={type} {...props} action={action} schema={schema} /> : null}
    </div>
  );
}

const acceptedNow = (action: AvailableAction): Choices =>
  Object.fromEntries(Object.entries(action.choices ?? {}).map(([field, accepted]) => [field, accepted.map((value) => ({ value, label: label('value', value) }))]));

/** One step's form: its fields, a note, and the button that records it (after a confirmation, for the steps that need one). */
function StepForm(props: Props & { action: AvailableAction; schema: JsonSchema }) {
  const { action, schema, ids, state } = props;
  const options = useActionChoices(state, props.session, schema);
  const [values, setValues] = useState<Record<string, unknown>>(() => ({ ...initialValues(schema), ...options.start() }));
  const [touched, setTouched] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const sending = useStepSend(props.pathwayId, props.onDone);
  // What the pathway accepts now (the mother only for a child who came with her), then what the page knows.
  const choices = { ...acceptedNow(action), ...options.choices(values) };
  const problems = formProblems(schema, values, choices);
  const messages: Record<string, string> = {
    ...Object.fromEntries(touched.filter((name) => problems[name]).map((name) => [name, fieldMessage(problems[name]!.code, problems[name]!.params)])),
    ...sending.refusal?.fields,
  };
  const valid = Object.keys(problems).length === 0;
  const send = () =>
    void sending.send({ type: action.type, payload: payloadOf(values), ...(note.trim() ? { note: note.trim() } : {}), actionId: crypto.randomUUID() }).then(() => setConfirming(false));
  const submit = (event: Event) => {
    event.preventDefault();
    if (!valid) return setTouched(Object.keys(schema.properties ?? {}));
    if (needsConfirmation(action.type)) setConfirming(true);
    else send();
  };
  return (
    <form onSubmit={submit} aria-label={label('action', action.type)} noValidate>
      <Refusal refusal={sending.refusal} shown={Object.keys(schema.properties ?? {})} onReload={props.onReload} />
      <SchemaFields schema={schema} values={values} idPrefix={ids.fields} choices={choices} fixed={options.fixed} messages={messages}
        onChange={(next, changed) => {
          setValues(options.change(next));
          setTouched((before) => (before.includes(changed) ? before : [...before, changed]));
          sending.forget(changed);
        }} />
      <Field id={ids.note} label={t('pathway.note')} hint={t('pathway.noteHint')}>
        <textarea id={ids.note} rows={2} maxLength={4000} value={note} aria-describedby={`${ids.note}-hint`} onInput={(event) => setNote((event.target as HTMLTextAreaElement).value)} />
      </Field>
      {confirming ? (
        <Confirm id={ids.confirm} yes={t('pathway.confirmYes', { action: label('action', action.type) })} busy={sending.busy} onYes={send} onBack={() => setConfirming(false)}>
          <p>{confirmationText(action.type, payloadOf(values), state, choices)}</p>
        </Confirm>
      ) : (
        <button type="submit" disabled={!valid || sending.busy || Boolean(sending.unanswered)}>
          {t('pathway.record', { action: label('action', action.type) })}
        </button>
      )}
      {options.error ? <p class="error" role="alert">{t('pathway.choicesUnavailable')}</p> : null}
      <Unanswered body={sending.unanswered} busy={sending.busy} send={(body) => void sending.send(body)} />
    </form>
  );
}
