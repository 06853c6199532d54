import { useState } from 'preact/hooks';
import { useAddressPage } from '../router.js';
import { api, ApiError, query } from '../api.js';
import { formatDate, formatNumber, label, t } from '../i18n.js';
import { Org } from '../directory.js';
import { PersonCell, type ShownPerson } from '../person.js';
import { fieldMessage } from '../problem-messages.js';
import { describedBy, Labelled } from '../schema-form.js';
import { Confirm } from './step-send.js';
import { ErrorBox, Free, Loading, PageTitle, Table, tx, useLoad, useRequest, PageButtons } from '../ui.js';

const REASONS = ['medical-emergency', 'safety-risk', 'child-protection', 'legal-deadline', 'other'] as const;
const reasonText = (reason: string) => t(`emergency.reason.${reason}`);

interface Grant {
  id: string;
  pathwayId: string;
  expiresAt: string;
  reason: string;
}

/**
 * The grants this tab obtained, by pathway: the pathway page says until when it is read under one.
 * Kept in memory only; a grant the API still holds is answered again (200) when asked for anew.
 */
const grants = new Map<string, Grant>();

export function emergencyGrant(pathwayId: string): Grant | undefined {
  const grant = grants.get(pathwayId);
  return grant && Date.parse(grant.expiresAt) > Date.now() ? grant : undefined;
}

/** A pathway the API answers 404 for: it does not exist, or this person's organisation may not see it. */
export const notVisible = (error: unknown) => error instanceof ApiError && error.problem.status === 404;

/**
 * Break the glass: a reason and a note, confirmed in plain words, then the pathway is read (never
 * changed) until the grant ends. Sent only when both are given; what is wrong shows beside its field.
 */
export function EmergencyAccess({ pathwayId, onGranted }: { pathwayId: string; onGranted: () => void }) {
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useRequest();
  const problems = {
    reason: reason ? undefined : fieldMessage('required'),
    note: note.trim().length >= 10 ? undefined : fieldMessage(note.trim() ? 'too-short' : 'required', { min: 10 }),
  };
  const shown = (name: keyof typeof problems) => (touched.includes(name) ? problems[name] : undefined);
  const valid = !problems.reason && !problems.note;
  const touch = (name: string) => setTouched((before) => (before.includes(name) ? before : [...before, name]));
  const submit = (event: Event) => {
    event.preventDefault();
    if (valid) setConfirming(true);
  };
  const request = () =>
    void run(async () => {
      const grant = await api<Grant>(`/v1/pathways/${encodeURIComponent(pathwayId)}/emergency-access`, { method: 'POST', body: { reason, note: note.trim() } });
      grants.set(pathwayId, grant);
      onGranted();
    }).then(() => setConfirming(false));
  return (
    <section aria-labelledby="emergency-heading">
      <h2 id="emergency-heading">{t('emergency.title')}</h2>
      <p>{t('emergency.explain')}</p>
      <form onSubmit={submit} noValidate>
        <Labelled id="emergency-reason" label={`${t('emergency.reason')} *`} message={shown('reason')}>
          <select id="emergency-reason" required value={reason} aria-invalid={shown('reason') ? true : undefined} aria-describedby={describedBy('emergency-reason', undefined, shown('reason'))}
            onChange={(event) => { setReason((event.target as HTMLSelectElement).value); touch('reason'); }}>
            <option value="">{label('value', 'choose')}</option>
            {REASONS.map((r) => <option key={r} value={r}>{reasonText(r)}</option>)}
          </select>
        </Labelled>
        <Labelled id="emergency-note" label={`${t('emergency.note')} *`} hint={t('emergency.noteHint')} message={shown('note')}>
          <textarea id="emergency-note" rows={3} required minLength={10} maxLength={2000} aria-invalid={shown('note') ? true : undefined}
            aria-describedby={describedBy('emergency-note', true, shown('note'))} value={note}
            onInput={(event) => setNote((event.target as HTMLTextAreaElement).value)} onBlur={() => touch('note')} />
        </Labelled>
        {confirming ? (
          <Confirm id="emergency-confirm" yes={t('emergency.confirmYes')} busy={busy} onYes={request} onBack={() => setConfirming(false)}>
            <p>{t('emergency.confirm', { reason: reasonText(reason) })}</p>
          </Confirm>
        ) : (
          <button type="submit" disabled={busy || !valid}>{t('emergency.submit')}</button>
        )}
        <ErrorBox error={error} />
      </form>
    </section>
  );
}

interface Reviewable {
  id: string;
  pathwayId: string;
  actor: { id: string; role: string; org: string };
  reason: string;
  note: string;
  grantedAt: string;
  expiresAt: string;
  reads: number;
  person: ShownPerson;
}

/** The oversight organisation's queue: each emergency access still to be judged, oldest first. */
export function EmergencyReviewPage() {
  const { cursor, first, next } = useAddressPage();
  const loaded = useLoad(() => api<{ items: Reviewable[]; nextCursor: string | null }>(`/v1/emergency-access${query({ status: 'unreviewed', cursor })}`), [cursor]);
  const { busy, error, run } = useRequest();
  const review = (grant: Reviewable, outcome: 'justified' | 'unjustified') =>
    run(async () => {
      await api(`/v1/emergency-access/${encodeURIComponent(grant.id)}/review`, { method: 'POST', body: { outcome } });
      loaded.reload();
    });
  const items = loaded.data?.items ?? [];
  return (
    <section>
      <PageTitle>{t('nav.emergencyReview')}</PageTitle>
      {loaded.loading && !loaded.data ? <Loading /> : null}
      <ErrorBox error={loaded.error ?? error} />
      {loaded.data ? (
        <>
          <Table caption={t('emergency.queueCaption', { count: items.length })}>
            <thead>
              <tr>
                <th scope="col">{t('pathway.person')}</th><th scope="col">{t('emergency.who')}</th><th scope="col">{t('emergency.reason')}</th><th scope="col">{t('emergency.note')}</th>
                <th scope="col">{t('emergency.when')}</th><th scope="col">{t('emergency.reads')}</th><th scope="col">{t('emergency.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((grant) => (
                <tr key={grant.id}>
                  <PersonCell id={grant.pathwayId} person={grant.person} />
                  <td>{tx('common.actor', { id: <Free>{grant.actor.id}</Free>, role: label('role', grant.actor.role), org: <Org id={grant.actor.org} /> })}</td>
                  <td>{reasonText(grant.reason)}</td>
                  <td><Free>{grant.note}</Free></td>
                  <td>{t('emergency.period', { from: formatDate(grant.grantedAt, true), until: formatDate(grant.expiresAt, true) })}</td>
                  <td>{formatNumber(grant.reads)}</td>
                  <td>
                    <div class="buttons-inline">
                      <button type="button" disabled={busy} onClick={() => review(grant, 'justified')}>{t('emergency.justified')}</button>
                      <button type="button" disabled={busy} onClick={() => review(grant, 'unjustified')}>{t('emergency.unjustified')}</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {items.length === 0 ? <p>{t('emergency.queueEmpty')}</p> : null}
          <PageButtons first={first} next={next(loaded.data.nextCursor)} />
        </>
      ) : null}
    </section>
  );
}
