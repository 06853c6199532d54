import { z } from 'zod';
import { iso, scaledMs } from './common.js';
import { defineAction, RECORDERS, refusal, type Ctx, type StageModule } from './types.js';
import type { PathwayState } from '../state.js';

export interface FollowUpPlan {
  startsAt: number;
  endsAt: number;
  intervalMs: number;
  periods: number;
}

/** The check-in periods of a follow-up that has started. */
export function followUpPlan(ctx: Pick<Ctx, 'input' | 'state' | 'template'>): FollowUpPlan | undefined {
  const { startsAt, endsAt } = ctx.state.followUp;
  const interval = ctx.template('followUp')?.checkInInterval;
  if (startsAt === undefined || endsAt === undefined || !interval) return undefined;
  const intervalMs = scaledMs(interval, ctx.input.clockScale);
  return { startsAt, endsAt, intervalMs, periods: Math.max(1, Math.ceil((endsAt - startsAt) / intervalMs)) };
}

export function periodEnd(plan: FollowUpPlan, period: number): number {
  return Math.min(plan.startsAt + (period + 1) * plan.intervalMs, plan.endsAt);
}

/** A missed check-in stays overdue until someone checks in again. */
export function checkInOverdue(state: PathwayState): boolean {
  const last = Math.max(-1, ...state.followUp.checkIns.map((c) => c.period));
  return state.followUp.missedPeriods.some((p) => p > last);
}

/** Periodic check-ins for the template's duration; a missed one is escalated. */
export const followUp: StageModule = {
  stage: 'followUp',
  startsItself: true,
  done: (ctx) => ctx.state.followUp.ended,
  waitingFor(ctx) {
    const plan = followUpPlan(ctx);
    const waits = plan ? [`follow-up runs until ${iso(plan.endsAt)}`] : [];
    if (checkInOverdue(ctx.state)) waits.push('a check-in was missed: check in with the person');
    return waits;
  },
  details(s) {
    return {
      startsAt: s.followUp.startsAt === undefined ? undefined : iso(s.followUp.startsAt),
      endsAt: s.followUp.endsAt === undefined ? undefined : iso(s.followUp.endsAt),
      periodsClosed: s.followUp.periodsClosed,
      checkIns: s.followUp.checkIns.length,
      missedCheckIns: s.followUp.missedPeriods.length,
      checkInOverdue: checkInOverdue(s),
    };
  },
  actions: [
    defineAction({
      type: 'follow-up.record-check-in',
      roles: RECORDERS,
      payload: z.object({ outcome: z.enum(['well', 'concerns', 'urgent']), mode: z.enum(['visit', 'call', 'office']) }).strict(),
      refuse(ctx) {
        const plan = followUpPlan(ctx);
        const period = ctx.state.followUp.periodsClosed;
        if (!plan || period >= plan.periods) return refusal('wrong-stage', 'The follow-up has no open check-in period.');
        if (ctx.state.followUp.checkIns.some((c) => c.period === period)) {
          return refusal('not-due', `The check-in for period ${period + 1} of ${plan.periods} is recorded; the next is due from ${iso(periodEnd(plan, period))}.`);
        }
        return undefined;
      },
      apply(ctx, payload) {
        ctx.state.followUp.checkIns.push({ period: ctx.state.followUp.periodsClosed, at: ctx.now, outcome: payload.outcome });
      },
      example: () => ({ outcome: 'well' as const, mode: 'visit' as const }),
    }),
  ],
};
