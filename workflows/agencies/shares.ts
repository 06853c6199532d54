import { StageName } from '../../src/domain/model.js';
import type { PathwayState, Referral } from '../state.js';

/** Stages whose work another organisation can take on or a person be assigned: not registration, not closing. */
export const SharedStage = StageName.exclude(['intake', 'closure']);

/** A referral the receiving organisation works on or must still answer: it can see the stage meanwhile. */
export const isOpenReferral = (r: Referral) => r.status === 'pending' || r.status === 'accepted';

export function referral(state: PathwayState, id: string): Referral | undefined {
  return state.referrals.find((r) => r.id === id);
}

/** Organisations that accepted a referral of this stage: their people act on it too. */
export function receiversOf(state: PathwayState, stage: StageName): string[] {
  return state.referrals.filter((r) => r.stage === stage && r.status === 'accepted').map((r) => r.to);
}

/** Ends a referral: the receiving organisation's access goes, and with it its hold on the stage. */
export function endReferral(state: PathwayState, r: Referral, status: 'declined' | 'completed' | 'withdrawn' | 'closed', now: number): void {
  r.status = status;
  r.endedAt = now;
  delete state.assignments.referred?.[r.id];
  const held = state.assignments.stages[r.stage];
  if (held?.org === r.to) delete state.assignments.stages[r.stage];
}

/** Ends whatever another organisation could still see: the pathway closes. */
export function endShares(state: PathwayState, now: number): void {
  for (const r of state.referrals) if (isOpenReferral(r)) endReferral(state, r, 'closed', now);
  if (state.transfer?.status === 'pending') state.transfer.status = 'withdrawn';
}
