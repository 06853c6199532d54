import { useEffect, useRef, useState } from 'preact/hooks';
import type { possibleDuplicatesOf } from '../../../src/pathways/duplicate-review.js';
import { api } from '../api.js';
import { loadSchemas } from '../console-config.js';
import { label, t } from '../i18n.js';
import { birthText } from '../person.js';
import type { Session } from '../session.js';
import { ErrorBox, Field, isolated, Select, useRequest } from '../ui.js';
import { CLOSE, offered, sendClosing, StillOpen } from './close-parts.js';
import { CloseRequest } from './close-request.js';
import type { PathwayState } from './pathway-types.js';

type Candidate = Awaited<ReturnType<typeof possibleDuplicatesOf>>['items'][number];
type Props = { pathwayId: string; state: PathwayState; session: Session; onDone: (state: PathwayState) => void };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reasons the API takes, in its order (the payload schema's enum). */
function useReasons(): string[] {
  const [reasons, setReasons] = useState<string[]>([]);
  useEffect(() => {
    void loadSchemas().then((schemas) => setReasons((schemas.actions[CLOSE]?.properties?.reason?.enum as string[] | undefined) ?? []));
  }, []);
  return reasons;
}

/** The other pathways of the organisation that may be this person's: those a duplicate may name. */
function useCandidates(pathwayId: string, wanted: boolean) {
  const [candidates, setCandidates] = useState<Candidate[]>();
  useEffect(() => {
    if (!wanted || candidates) return;
    // Unavailable (oversight's rule, a failure): the id is typed instead.
    api<{ items: Candidate[] }>(`/v1/pathways/${encodeURIComponent(pathwayId)}/possible-duplicates`).then((answer) => setCandidates(answer.items), () => setCandidates([]));
  }, [wanted]);
  return candidates;
}

/** The pathway that stays, when this one is closed as its duplicate: one of the possible duplicates, else its id. */
function DuplicateOf({ pathwayId, candidates, value, set }: { pathwayId: string; candidates: Candidate[]; value: string; set: (value: string) => void }) {
  // Those once confirmed as another person too: it may have turned out otherwise.
  if (candidates.length) {
    const options = candidates.map((c) => ({
      value: c.pathwayId,
      label: `${isolated(c.person.name)} · ${birthText(c.person.birthDate, c.person.birthDateEstimated)} · ${c.programme} · ${label('stage', c.currentStage)} · ${label('status', c.status)}`,
    }));
    return (
      <Field id="close-duplicate-of" label={label('field', 'duplicateOf')}>
        <Select id="close-duplicate-of" value={value} required options={[{ value: '', label: label('value', 'choose') }, ...options]} onChange={set} />
      </Field>
    );
  }
  const problem = value && (!UUID.test(value.trim()) ? t('pathway.closeIdInvalid') : value.trim().toLowerCase() === pathwayId.toLowerCase() ? t('pathway.closeIdSelf') : undefined);
  return (
    <div class="field">
      <label for="close-duplicate-of">{label('field', 'duplicateOf')}</label>
      <input id="close-duplicate-of" type="text" value={value} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? 'close-duplicate-of-problem close-duplicate-of-hint' : 'close-duplicate-of-hint'}
        onInput={(event) => set((event.target as HTMLInputElement).value)} />
      <small id="close-duplicate-of-hint" class="muted">{t('pathway.closeIdHint')}</small>
      {problem ? <small id="close-duplicate-of-problem" class="error">{problem}</small> : null}
    </div>
  );
}

/**
 * Closing a pathway, apart from its routine steps: a reason chosen by the supervisor (none is
 * preset), the pathway that stays for a duplicate, then a confirmation that says what happens and
 * what is still open. Completed closes it at once; any other reason asks a second supervisor.
 * While a request waits, its approval (or rejection) shows instead.
 */
export function ClosePathway(props: Props) {
  const { state, session } = props;
  if (state.closure) return null;
  if (state.closeRequest) return <CloseRequest {...props} />;
  const action = offered(state, session, CLOSE);
  // Only when every stage is done does the pathway offer completion as its example.
  return action ? <CloseForm {...props} completable={action.example.reason === 'completed'} /> : null;
}

function CloseForm({ pathwayId, state, onDone, completable }: Props & { completable: boolean }) {
  const reasons = useReasons();
  const [reason, setReason] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [confirming, setConfirming] = useState(false);
  const candidates = useCandidates(pathwayId, reason === 'duplicate');
  const { busy, error, run } = useRequest();
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.focus(), [confirming]);
  const early = reason !== 'completed';
  const id = duplicateOf.trim();
  const valid = reason !== '' && (reason !== 'duplicate' || (UUID.test(id) && id.toLowerCase() !== pathwayId.toLowerCase()));
  const send = () =>
    run(async () => {
      const next = await sendClosing(pathwayId, CLOSE, { reason, ...(reason === 'duplicate' ? { duplicateOf: id } : {}) });
      setConfirming(false);
      onDone(next);
    });
  const submit = (event: Event) => {
    event.preventDefault();
    if (valid) setConfirming(true);
  };
  return (
    <section class="close-pathway" aria-labelledby="close-heading">
      <h2 id="close-heading">{t('pathway.closeTitle')}</h2>
      <form onSubmit={submit} aria-labelledby="close-heading">
        <div class="field">
          <label for="close-reason">{t('pathway.closeReason')}</label>
          <select id="close-reason" required value={reason} disabled={confirming} aria-describedby={completable ? undefined : 'close-not-complete'}
            onChange={(event) => setReason((event.target as HTMLSelectElement).value)}>
            <option value="">{label('value', 'choose')}</option>
            {reasons.map((r) => <option key={r} value={r} disabled={r === 'completed' && !completable}>{label('value', r)}</option>)}
          </select>
          {completable ? null : <small id="close-not-complete" class="muted">{t('pathway.closeNotComplete')}</small>}
        </div>
        {reason === 'duplicate' && candidates && !confirming ? <DuplicateOf pathwayId={pathwayId} candidates={candidates} value={duplicateOf} set={setDuplicateOf} /> : null}
        {confirming ? null : <button type="submit" disabled={!valid}>{t('pathway.closeContinue')}</button>}
      </form>
      {confirming ? (
        <div role="alertdialog" aria-labelledby="close-confirm" aria-describedby="close-open" class="warning" tabIndex={-1} ref={dialog}>
          <p id="close-confirm">
            <strong>{early ? t('pathway.closeConfirmEarly', { reason: label('value', reason) }) : t('pathway.closeConfirmCompleted')}</strong>
          </p>
          {early ? <StillOpen state={state} id="close-open" /> : <p id="close-open">{t('pathway.closeFinal')}</p>}
          <div class="buttons">
            <button type="button" disabled={busy} onClick={send}>{t(early ? 'pathway.closeSendRequest' : 'pathway.closeYesClose')}</button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>{t('pathway.closeBack')}</button>
          </div>
        </div>
      ) : null}
      <ErrorBox error={error} />
    </section>
  );
}
