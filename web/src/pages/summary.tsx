import { Fragment } from 'preact';
import { api } from '../api.js';
import { Org } from '../directory.js';
import { StageDetails, Value, valueText } from '../facts.js';
import { formatDate, label, t } from '../i18n.js';
import { href } from '../router.js';
import type { Session } from '../session.js';
import { said } from '../says.js';
import { ErrorBox, Free, joined, Loading, PageTitle, tx, useLoad } from '../ui.js';
import { PersonName } from './pathway.js';
import type { PathwayState, StageView } from './pathway-types.js';
import { PrintControls } from './print-controls.js';

/** The pathway as the reader may read it: the summary and a referral's letter are made of the same read. */
export const usePathway = (id: string) => useLoad(() => api<PathwayState>(`/v1/pathways/${encodeURIComponent(id)}`), [id]);

/** Who it is and which pathway, at the top of every printable page: a loose sheet is not taken for another person's. */
export function PrintedHeading({ title, state }: { title: string; state: PathwayState }) {
  return (
    <>
      <PageTitle>{title}: {state.record ? <PersonName record={state.record} /> : t('pathway.title')}</PageTitle>
      <p class="muted">{t('print.pathwayId', { id: state.pathwayId })}</p>
      {state.record?.nameHidden ? <p class="warning">{t('print.hiddenName')}</p> : null}
    </>
  );
}

/** The foot of a printed page: who made it and when. */
export const MadeBy = ({ session }: { session: Session }) => (
  <p class="muted made-by">{tx('print.madeBy', { who: <Free>{session.actor.id}</Free>, date: formatDate(new Date().toISOString(), true) })}</p>
);

function SummaryStage({ stage }: { stage: StageView }) {
  const dates = [
    stage.startedAt ? t('print.started', { date: formatDate(stage.startedAt) }) : '',
    stage.endedAt ? t('pathway.ended', { date: formatDate(stage.endedAt) }) : '',
    stage.dueAt && !stage.endedAt ? t('pathway.due', { date: formatDate(stage.dueAt) }) : '',
  ].filter(Boolean);
  return (
    <li class="stage">
      <h3>
        {label('stage', stage.stage)} — {label('status', stage.status)}
        {stage.overdue ? <span class="badge danger">{t('common.overdue')}</span> : null}
      </h3>
      {dates.length ? <p class="muted">{dates.join(' · ')}</p> : null}
      <StageDetails details={stage.details} />
    </li>
  );
}

/** A pathway's case summary, to print or download as a PDF: what the reader may see of it, nothing to act on. */
export function SummaryPage({ id, session }: { id: string; session: Session }) {
  const loaded = usePathway(id);
  const state = loaded.data;
  if (!state) return loaded.error ? <ErrorBox error={loaded.error} /> : <Loading />;
  const { record, person, assignments } = state;
  const held = [...(assignments?.pathway ? [{ ...assignments.pathway, stage: undefined }] : []), ...(assignments?.stages ?? [])];
  const open = (state.referrals ?? []).filter((r) => r.status === 'pending' || r.status === 'accepted');
  return (
    <article class="printable">
      <PrintedHeading title={t('print.summary.title')} state={state} />
      <p class="links no-print"><a href={href('pathways', id)}>{t('print.backToPathway')}</a></p>
      <PrintControls pathwayId={id} print={{ kind: 'summary' }} pdf />
      <section aria-labelledby="person-heading">
        <h2 id="person-heading">{t('print.summary.person')}</h2>
        <dl class="summary">
          {record ? (<><dt>{t('field.birthDate')}</dt><dd>{record.birthDate.length === 10 ? formatDate(record.birthDate) : record.birthDate}{record.birthDateEstimated ? ` (${t('pathway.estimated')})` : ''}</dd></>) : null}
          <dt>{t('pathway.person')}</dt><dd>{[valueText(person.sex), person.ageBand, person.arrivedWith ? valueText(person.arrivedWith) : ''].filter(Boolean).join(', ')}</dd>
        </dl>
      </section>
      <section aria-labelledby="pathway-heading">
        <h2 id="pathway-heading">{t('print.summary.pathway')}</h2>
        <dl class="summary">
          <dt>{t('field.programme')}</dt><dd>{[state.programme, state.operation, state.phase].filter(Boolean).join(' · ')}</dd>
          <dt>{t('field.arrivalDate')}</dt><dd>{formatDate(state.arrivalDate)}</dd>
          <dt>{t('field.status')}</dt><dd>{label('status', state.status)}{state.closure ? ` (${valueText(state.closure.reason)}, ${formatDate(state.closure.at)})` : ''}</dd>
          <dt>{t('field.currentStage')}</dt><dd>{label('stage', state.currentStage)}{state.overdue ? ` · ${t('common.overdue')}` : ''}</dd>
          <dt>{t('pathway.organisations')}</dt><dd>{joined(state.organisations.map((o) => <Org id={o} />))}</dd>
          {held.map((a) => (
            <Fragment key={a.stage ?? 'pathway'}>
              <dt>{t('print.summary.assignee')}</dt>
              <dd>{tx('pathway.assignedTo', { what: a.stage ? label('stage', a.stage) : t('pathway.wholePathway'), assignee: <Free>{a.assignee}</Free>, org: <Org id={a.org} /> })}</dd>
            </Fragment>
          ))}
        </dl>
      </section>
      <section aria-labelledby="stages-heading">
        <h2 id="stages-heading">{t('pathway.stages')}</h2>
        {state.stages.length ? <ol class="timeline">{state.stages.map((stage) => <SummaryStage key={stage.stage} stage={stage} />)}</ol> : <p>{t('pathway.noStages')}</p>}
      </section>
      <section aria-labelledby="referrals-heading">
        <h2 id="referrals-heading">{t('print.summary.openReferrals')}</h2>
        {open.length ? (
          <ul class="referrals">
            {open.map((r) => (
              <li key={r.id}>
                {label('stage', r.stage)} → <Org id={r.to} />: {valueText(r.reason)} · {t(`pathway.share.${r.status}`)} · {t('pathway.answerDue')} {formatDate(r.dueAt, true)}
                {' '}<span class="muted">(<Value value={r.consent} field="consent" />)</span>
                {' '}<a class="no-print" href={href('pathways', id, 'referrals', r.id, 'letter')}>{t('print.letter.link')}</a>
              </li>
            ))}
          </ul>
        ) : <p>{t('print.summary.noOpenReferrals')}</p>}
      </section>
      {state.notes?.length ? (
        <section aria-labelledby="notes-heading">
          <h2 id="notes-heading">{t('pathway.notes')}</h2>
          <ul class="notes">{state.notes.map((note) => <li key={note}>{said(note)}</li>)}</ul>
        </section>
      ) : null}
      <MadeBy session={session} />
    </article>
  );
}
