import { z } from 'zod';
import { durationSeconds } from '../../src/domain/duration.js';
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

/** Whole months in a template duration (P6M, P1Y). */
const months = (duration: string) => Math.round(durationSeconds(duration) / (30 * 86_400));

/** Periodic check-ins for the template's duration; a missed one is escalated. */
export const followUp = {
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
      lengthMonths: s.followUp.lengthMonths,
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
        if (!plan || period >= plan.periods) return refusal('wrong-stage', 'The follow-up has no open check-in period.', 'no-open-check-in');
        if (ctx.state.followUp.checkIns.some((c) => c.period === period)) {
          return refusal('not-due', `The check-in for period ${period + 1} of ${plan.periods} is recorded; the next is due from ${iso(periodEnd(plan, period))}.`, 'check-in-not-due', { period: period + 1, periods: plan.periods, date: iso(periodEnd(plan, period)) });
        }
        return undefined;
      },
      apply(ctx, payload) {
        ctx.state.followUp.checkIns.push({ period: ctx.state.followUp.periodsClosed, at: ctx.now, outcome: payload.outcome });
      },
      example: () => ({ outcome: 'well' as const, mode: 'visit' as const }),
    }),
    defineAction({
      // Six months to a year by need (Kazakhstan's regional centres): the length is chosen per person.
      type: 'follow-up.set-length',
      roles: RECORDERS,
      routine: () => false,
      payload: z.object({ months: z.number().int().min(1).max(120) }).strict(),
      refuse(ctx, payload) {
        const range = ctx.template('followUp')?.durationRange;
        const { startsAt, ended } = ctx.state.followUp;
        if (!range) return refusal('wrong-stage', `Programme ${ctx.input.programme} gives every follow-up the same length.`, 'follow-up-length-fixed', { programme: ctx.input.programme });
        if (startsAt === undefined || ended) return refusal('wrong-stage', 'The follow-up has not started, or has ended.', 'follow-up-not-running');
        const [min, max] = [months(range[0]), months(range[1])];
        if (payload.months < min || payload.months > max) return refusal('invalid-data', `The follow-up lasts ${min} to ${max} months in this programme.`, 'follow-up-length-out-of-range', { min, max });
        const endsAt = startsAt + scaledMs(`P${payload.months}M`, ctx.input.clockScale);
        return endsAt <= ctx.now ? refusal('invalid-data', 'That length has already passed: choose a longer one.', 'follow-up-length-passed') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.followUp.lengthMonths = payload.months;
        ctx.state.followUp.endsAt = ctx.state.followUp.startsAt! + scaledMs(`P${payload.months}M`, ctx.input.clockScale);
      },
      example: (ctx) => ({ months: months(ctx.template('followUp')?.durationRange?.[0] ?? 'P6M') }),
    }),
  ],
} satisfies StageModule;
