import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { consoleConfig } from '../console-config.js';
import { Org } from '../directory.js';
import { formatDate, label, t } from '../i18n.js';
import { href } from '../router.js';
import type { Session } from '../session.js';
import { ErrorBox, Free, joined, Loading, PageTitle, useLoad } from '../ui.js';
import { ActionForm } from './action-form.js';
import { CLOSING_ACTIONS } from './close-parts.js';
import { ClosePathway } from './close-pathway.js';
import { formIds } from './step-send.js';
import { StageDetails, valueText } from '../facts.js';
import { said } from '../says.js';
import { EmergencyAccess, emergencyGrant, notVisible } from './emergency.js';
import { FamilySection } from './family.js';
import { HIDE_NAME, HiddenName } from './hidden-name.js';
import { Shares } from './pathway-shares.js';
import type { PathwayState, StageView } from './pathway-types.js';

/** Closing has its own form (close-pathway.tsx), never a step among the others. */
const CLOSE = `pathway.close`;

function Stage({ stage }: { stage: StageView }) {
  return (
    <li class={`stage stage-${stage.status}${stage.overdue ? ' overdue' : ''}`}>
      <h3>
        {label('stage', stage.stage)} <span class="badge">{label('status', stage.status)}</span>
        {stage.overdue ? <span class="badge danger">{t('common.overdue')}</span> : null}
      </h3>
      <p class="muted">
        {stage.dueAt ? t('pathway.due', { date: formatDate(stage.dueAt) }) : null}
        {stage.endedAt ? ` ${t('pathway.ended', { date: formatDate(stage.endedAt) })}` : null}
      </p>
      {stage.blockers.length ? (
        <ul class="blockers" aria-label={t('pathway.blockers')}>
          {stage.blockers.map((blocker) => <li key={blocker}>{said(blocker)}</li>)}
        </ul>
      ) : null}
      <StageDetails details={stage.details} />
    </li>
  );
}

/** Each part of a name on its own: a name in another script, or an override in it, leaves the others in their order. */
export const PersonName = ({ record }: { record: NonNullable<PathwayState['record']> }) => (
  <>
    {joined([record.familyName, record.givenName, record.patronymic].filter(Boolean).map((part) => <Free>{part}</Free>), ' ')}
  </>
);

/** The actions this person may send: their role's, less those the four-eyes rule keeps from them. */
export const actionsFor = (state: PathwayState, session: Session) =>
  state.availableActions.filter((a) => a.roles.includes(session.actor.role) && !(a.excludedActors ?? []).includes(session.actor.id));

export function PathwayPage({ id, session }: { id: string; session: Session }) {
  const loaded = useLoad(() => api<PathwayState>(`/v1/pathways/${encodeURIComponent(id)}`), [id]);
  const [state, setState] = useState<PathwayState>();
  /** What was last recorded on this page, said once it is. */
  const [recorded, setRecorded] = useState<string>();
  useEffect(() => setState(loaded.data), [loaded.data]);
  const done = (next: PathwayState, type?: string) => {
    setRecorded(type);
    // An action's answer carries the workflow's state only: the person's record stays as read.
    setState((previous) => ({ ...next, record: next.record ?? previous?.record }));
  };
  const { temporalUi: ui, oversightOrg } = consoleConfig();
  const { role, org } = session.actor;
  if (!state && notVisible(loaded.error) && role !== 'coordinator') {
    // Not this organisation's: staff and supervisors may break the glass in an emergency.
    return (
      <article>
        <PageTitle>{t('pathway.title')}</PageTitle>
        <ErrorBox error={loaded.error} />
        <EmergencyAccess pathwayId={id} onGranted={loaded.reload} />
      </article>
    );
  }
  if (!state) return loaded.error ? <ErrorBox error={loaded.error} /> : <Loading />;
  const record = state.record;
  // Hiding the name and closing have their own controls, with a confirmation: not one more step in a form.
  const mine = actionsFor(state, session).filter((a) => a.type !== HIDE_NAME && !CLOSING_ACTIONS.includes(a.type));
  const routine = mine.filter((a) => a.routine);
  const exceptions = mine.filter((a) => !a.routine);
  const mayClose = actionsFor(state, session).some((a) => CLOSING_ACTIONS.includes(a.type));
  const mayHide = actionsFor(state, session).some((a) => a.type === HIDE_NAME);
  const hidden = (next: PathwayState, nameHidden: boolean) => {
    setRecorded(undefined);
    setState((previous) => ({ ...next, record: (next.record ?? previous?.record) && { ...(next.record ?? previous!.record!), nameHidden } }));
  };
  const grant = emergencyGrant(id);
  // Its audit trail is for its own organisations and the oversight one.
  const mayAudit = role === 'supervisor' && (state.organisations.includes(org) || org === oversightOrg);
  // The Temporal UI shows a whole history: it decodes for the same people (a referral's receiver reads here only).
  const mayDecode = state.organisations.includes(org) || (role === 'supervisor' && org === oversightOrg);
  return (
    <article>
      {grant ? <p class="banner" role="status">{t('pathway.emergencyUntil', { time: formatDate(grant.expiresAt, true) })}</p> : null}
      <PageTitle>{record ? <PersonName record={record} /> : t('pathway.title')}</PageTitle>
      <dl class="summary">
        {record ? (<><dt>{t('field.birthDate')}</dt><dd>{record.birthDate.length === 10 ? formatDate(record.birthDate) : record.birthDate}{record.birthDateEstimated ? ` (${t('pathway.estimated')})` : ''}</dd></>) : null}
        <dt>{t('field.programme')}</dt><dd>{state.programme} · {state.operation}{state.phase ? ` · ${state.phase}` : ''}</dd>
        <dt>{t('field.arrivalDate')}</dt><dd>{formatDate(state.arrivalDate)}</dd>
        <dt>{t('pathway.person')}</dt><dd>{valueText(state.person.sex)}, {state.person.ageBand}{state.person.arrivedWith ? `, ${t(`person.arrivedWith.${state.person.arrivedWith}`)}` : ''}</dd>
        <dt>{t('field.status')}</dt><dd>{label('status', state.status)}{state.closure ? ` (${valueText(state.closure.reason)}, ${formatDate(state.closure.at)})` : ''}</dd>
        <dt>{t('field.currentStage')}</dt><dd>{label('stage', state.currentStage)}{state.overdue ? ` · ${t('common.overdue')}` : ''}</dd>
        <dt>{t('pathway.organisations')}</dt><dd>{joined(state.organisations.map((o) => <Org id={o} />))}</dd>
        {state.transferredFrom ? (<><dt>{t('pathway.transferredFrom')}</dt><dd><a href={href('pathways', state.transferredFrom)}>{state.transferredFrom}</a></dd></>) : null}
      </dl>
      <p class="links">
        <a href={href('pathways', id, 'summary')}>{t('print.summary.link')}</a>
        {mayAudit ? <a href={href('pathways', id, 'history')}>{t('pathway.history')}</a> : null}
        {ui && mayDecode ? (
          <a href={ui.pathwayUrl.replace('PATHWAYID', id)} target="_blank" rel="noopener noreferrer">
            {t('pathway.temporalUi')}
          </a>
        ) : null}
      </p>
      {state.notes?.length ? (
        <ul class="notes" aria-label={t('pathway.notes')}>
          {state.notes.map((note) => <li key={note}>{said(note)}</li>)}
        </ul>
      ) : null}
      {record ? <HiddenName pathwayId={id} hidden={record.nameHidden ?? false} mayChange={mayHide} onDone={hidden} /> : null}
      <p role="status" class={recorded ? 'ok' : 'sr-only'}>{recorded ? t('pathway.recorded', { action: label('action', recorded) }) : ''}</p>
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">{t('pathway.actions')}</h2>
        {state.status === 'closed' ? <p>{t('pathway.closed')}</p> : <ActionForm key={state.version} pathwayId={id} actions={routine} state={state} session={session} onDone={done} onReload={loaded.reload} ids={formIds('action')} />}
      </section>
      {state.status !== 'closed' && (exceptions.length || mayClose || state.closeRequest) ? (
        <section class="exceptions" aria-labelledby="exceptions-heading">
          <h2 id="exceptions-heading">{t('pathway.exceptions')}</h2>
          <p class="muted">{t('pathway.exceptionsExplain')}</p>
          {exceptions.length ? <ActionForm key={state.version} pathwayId={id} actions={exceptions} state={state} session={session} onDone={done} onReload={loaded.reload} ids={formIds('exception')} startEmpty /> : null}
          {mayClose || state.closeRequest ? <ClosePathway key={id} pathwayId={id} state={state} session={session} onDone={(next) => done(next, CLOSE)} /> : null}
        </section>
      ) : null}
      <Shares state={state} />
      {/* The family page answers those who may decode it: its own organisations and oversight. */}
      {state.familyGroup && mayDecode ? <FamilySection pathwayId={id} /> : null}
      <section aria-labelledby="stages-heading">
        <h2 id="stages-heading">{t('pathway.stages')}</h2>
        {/* A receiver of a referral sees the referred stage only; one offered a transfer, none. */}
        {state.stages.length ? (
          <ol class="timeline">
            {state.stages.map((stage) => <Stage key={stage.stage} stage={stage} />)}
          </ol>
        ) : <p>{t('pathway.noStages')}</p>}
      </section>
    </article>
  );
}
