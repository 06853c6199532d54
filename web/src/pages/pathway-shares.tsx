import { Org, orgName } from '../directory.js';
import { formatDate, label, t } from '../i18n.js';
import { href } from '../router.js';
import type { Choices } from '../schema-form.js';
import { Value, valueText } from '../facts.js';
import { Free, Table, tx } from '../ui.js';
import type { PathwayState, Referral } from './pathway-types.js';

/** A referral's or a transfer's status in words. */
const shareStatus = (status: string) => t(`pathway.share.${status}`);

/** The referrals a form may name: those still waiting for an answer or under way. */
export function referralChoices(state: PathwayState): Choices {
  const open = (state.referrals ?? []).filter((r) => r.status === 'pending' || r.status === 'accepted');
  return { referral: open.map((r) => ({ value: r.id, label: t('pathway.referralChoice', { id: r.id, stage: label('stage', r.stage), to: orgName(r.to), status: shareStatus(r.status) }) })) };
}

function Referrals({ pathwayId, referrals }: { pathwayId: string; referrals: Referral[] }) {
  return (
    <Table caption={t('pathway.referrals', { count: referrals.length })}>
      <thead>
        <tr>
          <th scope="col">{t('field.stage')}</th><th scope="col">{t('pathway.fromTo')}</th><th scope="col">{t('field.reason')}</th><th scope="col">{t('field.status')}</th>
          <th scope="col">{t('pathway.answerDue')}</th><th scope="col">{t('field.consent')}</th>
        </tr>
      </thead>
      <tbody>
        {referrals.map((r) => (
          <tr key={r.id} class={r.escalatedAt ? 'overdue' : ''}>
            <th scope="row">
              {label('stage', r.stage)} <span class="muted">#{r.id}</span>{' '}
              <a href={href('pathways', pathwayId, 'referrals', r.id, 'letter')} aria-label={t('print.letter.linkFor', { stage: label('stage', r.stage), to: orgName(r.to) })}>{t('print.letter.link')}</a>
            </th>
            <td><Org id={r.from} /> → <Org id={r.to} /></td>
            <td>{valueText(r.reason)}{r.declineReason ? ` · ${t('pathway.declined', { reason: valueText(r.declineReason) })}` : ''}</td>
            <td>{shareStatus(r.status)}</td>
            <td>
              {formatDate(r.dueAt, true)}
              {r.escalatedAt ? <span class="badge danger">{t('pathway.escalated', { date: formatDate(r.escalatedAt, true) })}</span> : null}
            </td>
            <td><Value value={r.consent} field="consent" /></td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/**
 * What other organisations do on this pathway: its referrals, a transfer, who holds it or its
 * stages. A receiver of a referral gets only its own referral and stage; nothing here is required.
 */
export function Shares({ state }: { state: PathwayState }) {
  const { referrals = [], transfer, assignments } = state;
  const held = [...(assignments?.pathway ? [{ ...assignments.pathway, stage: undefined }] : []), ...(assignments?.stages ?? [])];
  if (!referrals.length && !transfer && !held.length) return null;
  return (
    <section aria-labelledby="shares-heading">
      <h2 id="shares-heading">{t('pathway.shares')}</h2>
      {referrals.length ? <Referrals pathwayId={state.pathwayId} referrals={referrals} /> : null}
      {transfer ? (
        <>
        <h3>{t('pathway.transfer')}</h3>
        <dl class="summary">
          <dt>{t('pathway.transferTarget')}</dt>
          <dd>{tx('pathway.transferTo', { to: <Org id={transfer.to} />, programme: `${transfer.programme} · ${transfer.operation}` })}</dd>
          <dt>{t('field.status')}</dt>
          <dd>
            {shareStatus(transfer.status)}{transfer.failure ? <> — <Free>{transfer.failure}</Free></> : null}
            {transfer.stuck ? <span class="badge danger">{t('pathway.transferStuck')}</span> : null}
          </dd>
          {transfer.newPathwayId ? (<><dt>{t('pathway.newPathway')}</dt><dd><a href={href('pathways', transfer.newPathwayId)}>{transfer.newPathwayId}</a></dd></>) : null}
        </dl>
        </>
      ) : null}
      {held.length ? <h3>{t('pathway.assignments')}</h3> : null}
      {held.length ? (
        <ul class="assignments">
          {held.map((a) => (
            <li key={a.stage ?? 'pathway'}>
              {tx('pathway.assignedTo', { what: a.stage ? label('stage', a.stage) : t('pathway.wholePathway'), assignee: <Free>{a.assignee}</Free>, org: <Org id={a.org} /> })}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
