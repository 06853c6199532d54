import type { ComponentChildren } from 'preact';
import type { AlertSide, DuplicateAlert as Alert } from '../../../src/db/duplicate-alerts.js';
import type { PossibleDuplicate } from '../../../src/pathways/duplicates.js';
import { api, ApiError, query } from '../api.js';
import { Org } from '../directory.js';
import { formatDate, label, t } from '../i18n.js';
import { href, useAddressPage } from '../router.js';
import { BirthAndAge, type ShownPerson } from '../person.js';
import { ErrorBox, Free, Loading, PageTitle, Table, useLoad, useRequest, PageButtons } from '../ui.js';

export type { PossibleDuplicate };

/** The pathways a 409 possible-duplicate names, or undefined for any other error. */
export function duplicatesOf(error: unknown): PossibleDuplicate[] | undefined {
  if (!(error instanceof ApiError) || error.problem.code !== 'possible-duplicate') return undefined;
  return (error.problem as { duplicates?: PossibleDuplicate[] }).duplicates ?? [];
}

/** Who a pathway is for: name (initials when hidden), birth date as known, age. */
export function PersonText({ person }: { person: ShownPerson }) {
  return (
    <>
      <Free>{person.name}</Free>
      {person.nameHidden ? <span class="badge">{t('hiddenName.marker')}</span> : null}
      {' · '}
      <BirthAndAge person={person} />
    </>
  );
}

/**
 * The pathways of our organisation the person being opened may already have: each can be opened,
 * or marked as a different person, which the coordinator confirms by opening again.
 */
export function DuplicateChoice(props: { matches: PossibleDuplicate[]; differentFrom: string[]; onChange: (ids: string[]) => void; idPrefix: string }) {
  const { matches, differentFrom, onChange, idPrefix } = props;
  const toggle = (id: string, on: boolean) => onChange(on ? [...differentFrom, id] : differentFrom.filter((other) => other !== id));
  return (
    <ul class="duplicates">
      {matches.map((match) => (
        <li key={match.pathwayId}>
          <PersonText person={match.person} />
          {' · '}
          {match.programme} · {label('stage', match.currentStage)} · {label('status', match.status)} · {t('duplicate.openedOn', { date: formatDate(match.openedAt) })}
          {' · '}
          <a href={href('pathways', match.pathwayId)} target="_blank" rel="noopener">{t('duplicate.see')}</a>
          <div>
            <input
              id={`${idPrefix}-${match.pathwayId}`}
              type="checkbox"
              checked={differentFrom.includes(match.pathwayId)}
              onChange={(event) => toggle(match.pathwayId, (event.target as HTMLInputElement).checked)}
            />
            <label for={`${idPrefix}-${match.pathwayId}`}>{t('duplicate.different')}</label>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** What the coordinator reads when nothing was opened because of possible duplicates. */
export function DuplicateWarning({ matches, children }: { matches: PossibleDuplicate[]; children: ComponentChildren }) {
  return (
    <div class="warning" role="alert">
      <p><strong>{t('duplicate.title')}</strong> {t('duplicate.explain', { count: matches.length })}</p>
      {children}
    </div>
  );
}

/** On oversight's worklist: how many possible duplicates wait for review, with the way to them. */
export function DuplicateAlertsWaiting() {
  const loaded = useLoad(() => api<{ unreviewed: number }>('/v1/duplicate-alerts/summary'), []);
  const waiting = loaded.data?.unreviewed ?? 0;
  return waiting ? <p class="warning"><a href={href('duplicate-review')}>{t('duplicate.waiting', { count: waiting })}</a></p> : null;
}

function Side({ side }: { side: AlertSide }) {
  return (
    <>
      <PersonText person={side.person} />
      <div>
        {side.organisations.map((org) => <Org key={org} id={org} />)} · {side.programme} · {label('stage', side.currentStage)} ·{' '}
        <a href={href('pathways', side.pathwayId)}>{t('duplicate.see')}</a>
      </div>
    </>
  );
}

/** Oversight's queue: people who may have pathways in two organisations, each judged once. */
export function DuplicateReviewPage() {
  const { cursor, first, next } = useAddressPage();
  const loaded = useLoad(() => api<{ items: Alert[]; nextCursor: string | null }>(`/v1/duplicate-alerts${query({ status: 'unreviewed', cursor })}`), [cursor]);
  const { busy, error, run } = useRequest();
  const review = (alert: Alert, outcome: 'same-person' | 'different-people') =>
    run(async () => {
      await api(`/v1/duplicate-alerts/${encodeURIComponent(alert.id)}/review`, { method: 'POST', body: { outcome } });
      loaded.reload();
    });
  const items = loaded.data?.items ?? [];
  return (
    <section>
      <PageTitle>{t('nav.duplicateReview')}</PageTitle>
      <p>{t('duplicate.reviewIntro')}</p>
      {loaded.loading && !loaded.data ? <Loading /> : null}
      <ErrorBox error={loaded.error ?? error} />
      {loaded.data ? (
        <>
          <Table caption={t('duplicate.queueCaption', { count: items.length })}>
            <thead>
              <tr><th scope="col">{t('duplicate.opened')}</th><th scope="col">{t('duplicate.other')}</th></tr>
            </thead>
            <tbody>
              {items.map((alert) => (
                <tr key={alert.id}>
                  <td><Side side={alert.opened} /></td>
                  {/* The verdict sits under the second person, not in a column of its own: on a phone it stays on screen. */}
                  <td>
                    <Side side={alert.other} />
                    <p class="muted">{t('duplicate.raisedOn', { date: formatDate(alert.raisedAt, true) })}</p>
                    <div class="buttons-inline">
                      <button type="button" disabled={busy} onClick={() => review(alert, 'same-person')}>{t('duplicate.samePerson')}</button>
                      <button type="button" disabled={busy} onClick={() => review(alert, 'different-people')}>{t('duplicate.differentPeople')}</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {items.length === 0 ? <p>{t('duplicate.queueEmpty')}</p> : null}
          <PageButtons first={first} next={next(loaded.data.nextCursor)} />
        </>
      ) : null}
    </section>
  );
}
