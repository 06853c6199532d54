import { Org } from '../directory.js';
import { Value, valueText } from '../facts.js';
import { formatDate, label, t } from '../i18n.js';
import { href } from '../router.js';
import type { Session } from '../session.js';
import { ErrorBox, Free, Loading, PageTitle, tx } from '../ui.js';
import { PersonName } from './pathway.js';
import { PrintControls } from './print-controls.js';
import { MadeBy, PrintedHeading, usePathway } from './summary.js';

/**
 * A letter to the organisation a stage is referred to: who is referred, for what, on what consent,
 * by whom and when. It carries no more of the person than the referral shares with its receiver:
 * the name and birth date, not the other stages, notes or family.
 */
export function ReferralLetterPage({ id, referralId, session }: { id: string; referralId: string; session: Session }) {
  const loaded = usePathway(id);
  const state = loaded.data;
  if (!state) return loaded.error ? <ErrorBox error={loaded.error} /> : <Loading />;
  const referral = state.referrals?.find((r) => r.id === referralId);
  if (!referral) {
    return (
      <article>
        <PageTitle>{t('print.letter.title')}</PageTitle>
        <p>{t('print.letter.notFound')}</p>
        <p><a href={href('pathways', id)}>{t('print.backToPathway')}</a></p>
      </article>
    );
  }
  const { record } = state;
  return (
    <article class="printable letter">
      <PrintedHeading title={t('print.letter.title')} state={state} />
      <p class="links no-print"><a href={href('pathways', id)}>{t('print.backToPathway')}</a></p>
      <PrintControls pathwayId={id} print={{ kind: 'referral-letter', referralId }} />
      <dl class="summary">
        <dt>{t('print.letter.to')}</dt><dd><Org id={referral.to} /></dd>
        <dt>{t('print.letter.from')}</dt><dd><Org id={referral.from} /></dd>
        <dt>{t('print.letter.date')}</dt><dd>{formatDate(referral.requestedAt)}</dd>
        <dt>{t('print.letter.status')}</dt><dd>{t('print.letter.number', { id: referral.id })}: {t(`pathway.share.${referral.status}`)}</dd>
        <dt>{t('print.letter.about')}</dt>
        <dd>
          {record ? <PersonName record={record} /> : t('pathway.title')}
          {record ? `, ${t('print.letter.born', { date: record.birthDate.length === 10 ? formatDate(record.birthDate) : record.birthDate })}` : null}
        </dd>
      </dl>
      <p>{t('print.letter.body', { stage: label('stage', referral.stage), reason: valueText(referral.reason) })}</p>
      <p><strong>{t('field.consent')}:</strong> <Value value={referral.consent} field="consent" /></p>
      {referral.status === 'pending' ? <p>{t('print.letter.answerBy', { date: formatDate(referral.dueAt, true) })}</p> : null}
      <p>{tx('print.letter.sentBy', { who: <Free>{referral.by}</Free>, org: <Org id={referral.from} /> })}</p>
      <MadeBy session={session} />
    </article>
  );
}
