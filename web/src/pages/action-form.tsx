import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, mayNotHaveArrived } from '../api.js';
import { loadSchemas } from '../console-config.js';
import { label, t } from '../i18n.js';
import { payloadOf, SchemaFields, initialValues, type JsonSchema } from '../schema-form.js';
import type { Session } from '../session.js';
import { ErrorBox, Field } from '../ui.js';
import { useActionChoices } from './action-choices.js';
import type { AvailableAction, PathwayState } from './pathway-types.js';

interface Pending {
  body: { type: string; payload: Record<string, unknown>; note?: string; actionId: string };
  /** Sent, and no answer came: resending the same body (same actionId) applies it at most once. */
  unanswered: boolean;
}

/**
 * The actions the caller may send now, as forms generated from their payload schemas. A request
 * that got no answer keeps its action id, so "send again" cannot record it twice.
 */
export function ActionForm(props: {
  pathwayId: string;
  actions: AvailableAction[];
  /** The pathway and who writes: for the choices of open fields (organisations, referrals, colleagues). */
  state: PathwayState;
  session: Session;
  onDone: (state: PathwayState) => void;
  onRefused: (error: ApiError) => void;
}) {
  const { pathwayId, actions, onDone, onRefused } = props;
  const [schemas, setSchemas] = useState<Record<string, JsonSchema>>();
  const [type, setType] = useState(actions[0]?.type ?? '');
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [note, setNote] = useState('');
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const action = actions.find((a) => a.type === type) ?? actions[0];
  const schema = action && schemas?.[action.type];
  const options = useActionChoices(props.state, props.session, schema);

  useEffect(() => void loadSchemas().then((loaded) => setSchemas(loaded.actions)), []);
  useEffect(() => {
    if (schema && action) setValues(initialValues(schema, options.start(action.example)));
    setPending(undefined);
    setError(undefined);
  }, [schema, action?.type]);

  if (!action) return <p>{t('pathway.noActions')}</p>;

  const send = async (body: Pending['body']) => {
    setBusy(true);
    setError(undefined);
    setPending({ body, unanswered: false });
    try {
      const answer = await api<{ state?: PathwayState }>(`/v1/pathways/${encodeURIComponent(pathwayId)}/actions`, { method: 'POST', body });
      setPending(undefined);
      setNote('');
      const state = answer.state ?? (await api<PathwayState>(`/v1/pathways/${encodeURIComponent(pathwayId)}`));
      onDone(state);
    } catch (caught) {
      const unanswered = mayNotHaveArrived(caught);
      setPending(unanswered ? { body, unanswered } : undefined);
      // Refused: the pathway moved on or says why not; the page reads it again and shows the reason.
      if (caught instanceof ApiError && caught.problem.status === 409) onRefused(caught);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    void send({ type: action.type, payload: payloadOf(values), ...(note.trim() ? { note: note.trim() } : {}), actionId: crypto.randomUUID() });
  };

  return (
    <form onSubmit={submit} aria-labelledby="actions-heading">
      <Field id="action-type" label={t('pathway.action')}>
        <select id="action-type" value={action.type} onChange={(event) => setType((event.target as HTMLSelectElement).value)}>
          {actions.map((a) => (
            <option key={a.type} value={a.type}>
              {label('action', a.type)}
            </option>
          ))}
        </select>
      </Field>
      {schema ? <SchemaFields schema={schema} values={values} onChange={(next) => setValues(options.change(next))} idPrefix="payload" choices={options.choices(values)} fixed={options.fixed} /> : null}
      <Field id="action-note" label={t('pathway.note')} hint={t('pathway.noteHint')}>
        <textarea id="action-note" rows={2} maxLength={4000} value={note} aria-describedby="action-note-hint" onInput={(event) => setNote((event.target as HTMLTextAreaElement).value)} />
      </Field>
      <button type="submit" disabled={busy || pending?.unanswered}>
        {t('pathway.record', { action: label('action', action.type) })}
      </button>
      <ErrorBox error={error ?? options.error} />
      {pending?.unanswered ? (
        <p role="status">
          {t('pathway.unanswered')}{' '}
          <button type="button" disabled={busy} onClick={() => send(pending.body)}>
            {t('pathway.sendAgain')}
          </button>
        </p>
      ) : null}
    </form>
  );
}
