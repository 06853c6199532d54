import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDate, label, t } from '../i18n.js';
import { href } from '../router.js';
import type { Session } from '../session.js';
import { ErrorBox, Free, tx, useRequest } from '../ui.js';
import { CLOSE_APPROVE, CLOSE_REJECT, offered, sendClosing, StillOpen } from './close-parts.js';
import type { PathwayState } from './pathway-types.js';

type Request = NonNullable<PathwayState['closeRequest']>;

/** Who asked to close the pathway early, when and why (and the pathway that stays, for a duplicate). */
function Asked({ request }: { request: Request }) {
  return (
    <>
      <p>{tx('pathway.closeAsked', { who: <Free>{request.by}</Free>, when: formatDate(request.at, true), reason: label('value', request.reason) })}</p>
      {request.duplicateOf ? (
        <p>{tx('pathway.closeStays', { pathway: <a href={href('pathways', request.duplicateOf)}><Free>{request.duplicateOf}</Free></a> })}</p>
      ) : null}
    </>
  );
}

/**
 * A request to close the pathway early, as the supervisors see it: another supervisor approves
 * (after a confirmation: it closes the pathway) or rejects it; whoever asked may take it back.
 */
export function CloseRequest({ pathwayId, state, session, onDone }: { pathwayId: string; state: PathwayState; session: Session; onDone: (state: PathwayState) => void }) {
  const request = state.closeRequest!;
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useRequest();
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.focus(), [confirming]);
  const send = (type: string) => run(async () => onDone(await sendClosing(pathwayId, type, {})));
  const mayApprove = offered(state, session, CLOSE_APPROVE) !== undefined;
  const mayReject = offered(state, session, CLOSE_REJECT) !== undefined;
  const asker = request.by === session.actor.id;
  return (
    <section class="close-request" aria-labelledby="close-request-heading">
      <h2 id="close-request-heading">{t('pathway.closeRequested')}</h2>
      <Asked request={request} />
      <p>{t(mayApprove ? 'pathway.closeYouDecide' : asker ? 'pathway.closeYouAsked' : 'pathway.closeWaiting')}</p>
      <StillOpen state={state} id="close-request-open" />
      {confirming ? (
        <div role="alertdialog" aria-labelledby="close-approve-confirm" aria-describedby="close-request-open" class="warning" tabIndex={-1} ref={dialog}>
          <p id="close-approve-confirm">{t('pathway.closeApproveConfirm', { reason: label('value', request.reason) })}</p>
          <div class="buttons">
            <button type="button" disabled={busy} onClick={() => send(CLOSE_APPROVE)}>{t('pathway.closeYesApprove')}</button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>{t('pathway.closeBack')}</button>
          </div>
        </div>
      ) : (
        <div class="buttons">
          {mayApprove ? <button type="button" disabled={busy} onClick={() => setConfirming(true)}>{t('pathway.closeApprove')}</button> : null}
          {mayReject ? <button type="button" disabled={busy} onClick={() => send(CLOSE_REJECT)}>{t(asker ? 'pathway.closeWithdraw' : 'pathway.closeReject')}</button> : null}
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
