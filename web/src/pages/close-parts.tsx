import { api } from '../api.js';
import { Org } from '../directory.js';
import { label, t } from '../i18n.js';
import type { Session } from '../session.js';
import { tx } from '../ui.js';
import { referralChoices } from './pathway-shares.js';
import type { AvailableAction, PathwayState } from './pathway-types.js';

/** The actions of closing a pathway, types not texts: shown by `ClosePathway`, never as routine steps. */
export const CLOSE = `pathway.close`;
export const CLOSE_APPROVE = `pathway.close-approve`;
export const CLOSE_REJECT = `pathway.close-reject`;
export const CLOSING_ACTIONS: readonly string[] = [CLOSE, CLOSE_APPROVE, CLOSE_REJECT];

/** The action of this type the pathway offers this person now, if any (four eyes included). */
export function offered(state: PathwayState, session: Session, type: string): AvailableAction | undefined {
  const { id, role } = session.actor;
  return state.availableActions.find((a) => a.type === type && a.roles.includes(role) && !(a.excludedActors ?? []).includes(id));
}

/** Sends one closing action and answers the pathway's state after it. */
export async function sendClosing(pathwayId: string, type: string, payload: Record<string, unknown>): Promise<PathwayState> {
  const path = `/v1/pathways/${encodeURIComponent(pathwayId)}`;
  const answer = await api<{ state?: PathwayState }>(`${path}/actions`, { method: 'POST', body: { type, payload, actionId: crypto.randomUUID() } });
  return answer.state ?? (await api<PathwayState>(path));
}

const FINISHED = ['done', 'skipped'];

/** What is still open on the pathway: its unfinished stages, referrals under way, a transfer waiting for an answer. */
export function StillOpen({ state, id }: { state: PathwayState; id: string }) {
  const stages = state.stages.filter((s) => s.stage !== 'intake' && s.stage !== 'closure' && !FINISHED.includes(s.status));
  const referrals = referralChoices(state).referral ?? [];
  const transfer = state.transfer?.status === 'pending' ? state.transfer : undefined;
  if (!stages.length && !referrals.length && !transfer) return <p id={id}>{t('pathway.closeNothingOpen')}</p>;
  return (
    <div id={id}>
      <p>{t('pathway.closeStillOpen')}</p>
      <ul>
        {stages.map((s) => <li key={s.stage}>{t('pathway.closeOpenStage', { stage: label('stage', s.stage), status: label('status', s.status) })}</li>)}
        {referrals.map((r) => <li key={r.value}>{t('pathway.closeOpenReferral', { referral: r.label })}</li>)}
        {transfer ? <li>{tx('pathway.closeOpenTransfer', { to: <Org id={transfer.to} /> })}</li> : null}
      </ul>
    </div>
  );
}
