import type { PathwayInput } from '../src/domain/pathway.js';
import { createCtx, isFinished, stageOrder } from './rules.js';
import { ageBandMoments, iso, scaledMs } from './stages/common.js';
import { followUpPlan, periodEnd } from './stages/follow-up.js';
import { deadlineOf, pendingPetition } from './stages/guardianship.js';
import { fireReminders, pendingReminders } from './reminders.js';
import type { PathwayState } from './state.js';
import type { AutomaticEvent } from './stages/types.js';

export type { AutomaticEvent };

/**
 * Notes when each stage became ready, started and ended, and starts the clocks (due date,
 * minimum quarantine, follow-up periods) of stages that just became ready.
 */
export function settle(input: PathwayInput, state: PathwayState, now: number): void {
  const ctx = createCtx(input, state, now);
  for (const stage of stageOrder(input)) {
    const status = ctx.status(stage);
    const times = (state.times[stage] ??= {});
    if (status !== 'blocked' && status !== 'skipped' && times.readyAt === undefined) {
      times.readyAt = now;
      const template = ctx.template(stage);
      if (template?.target) times.dueAt = now + scaledMs(template.target, input.clockScale);
      if (stage === 'quarantine') {
        if (template?.minimum) state.quarantine.minimumEndsAt = now + scaledMs(template.minimum, input.clockScale);
        else state.quarantine.minimumPassed = true;
      }
      if (stage === 'followUp' && template?.duration) {
        state.followUp.startsAt = now;
        state.followUp.endsAt = now + scaledMs(template.duration, input.clockScale);
      }
    }
    if ((status === 'active' || status === 'done') && times.startedAt === undefined) times.startedAt = now;
    if (status === 'done') times.endedAt ??= now;
    else if (status !== 'skipped') delete times.endedAt;
  }
}

/**
 * The next moment at which time alone changes the pathway, if any. `reminders`: the pathway runs
 * `stage-reminders` (workflows/changes.ts), so the reminders' moments count too.
 */
export function nextDeadline(input: PathwayInput, state: PathwayState, now: number, reminders: boolean): number | undefined {
  const ctx = createCtx(input, state, now);
  const moments: number[] = [];
  if (!state.quarantine.minimumPassed && state.quarantine.minimumEndsAt !== undefined) moments.push(state.quarantine.minimumEndsAt);
  if (ctx.person.ageBand !== (state.ageBand ?? input.person.ageBand)) moments.push(now);
  const nextBand = ageBandMoments(input, state).find((c) => c.at > now);
  if (nextBand) moments.push(nextBand.at);
  for (const stage of stageOrder(input)) {
    const { dueAt, overdueAt } = deadlineOf(state, stage);
    if (dueAt !== undefined && overdueAt === undefined && !isFinished(ctx.status(stage))) moments.push(dueAt);
  }
  if (reminders) for (const reminder of pendingReminders(ctx)) moments.push(reminder.at);
  for (const referral of state.referrals) if (referral.status === 'pending' && referral.escalatedAt === undefined) moments.push(referral.dueAt);
  const plan = followUpPlan(ctx);
  if (plan && !state.followUp.ended && !isFinished(ctx.status('followUp'))) {
    moments.push(state.followUp.periodsClosed < plan.periods ? periodEnd(plan, state.followUp.periodsClosed) : plan.endsAt);
  }
  return moments.length ? Math.min(...moments) : undefined;
}

function closeFollowUpPeriods(input: PathwayInput, state: PathwayState, now: number, events: AutomaticEvent[]) {
  const ctx = createCtx(input, state, now);
  const plan = followUpPlan(ctx);
  if (!plan || state.followUp.ended || isFinished(ctx.status('followUp'))) return;
  const followUp = state.followUp;
  while (followUp.periodsClosed < plan.periods && periodEnd(plan, followUp.periodsClosed) <= now) {
    const period = followUp.periodsClosed;
    const checkedIn = followUp.checkIns.some((c) => c.period === period);
    if (!checkedIn) followUp.missedPeriods.push(period);
    followUp.periodsClosed += 1;
    events.push({
      type: checkedIn ? 'follow-up.period-ended' : 'follow-up.check-in-missed',
      stage: 'followUp',
      data: { period: period + 1, of: plan.periods },
      ...(checkedIn ? {} : { escalation: 'check-in-missed' as const }),
    });
  }
  if (followUp.periodsClosed >= plan.periods && plan.endsAt <= now) {
    followUp.ended = true;
    events.push({ type: 'follow-up.ended', stage: 'followUp', data: { checkIns: followUp.checkIns.length, missed: followUp.missedPeriods.length } });
  }
}

/** Applies every change whose time has come and returns the events to record (`reminders` as for `nextDeadline`). */
export function fireDue(input: PathwayInput, state: PathwayState, now: number, reminders: boolean): AutomaticEvent[] {
  const events: AutomaticEvent[] = [];
  const { quarantine } = state;
  if (!quarantine.minimumPassed && quarantine.minimumEndsAt !== undefined && quarantine.minimumEndsAt <= now) {
    quarantine.minimumPassed = true;
    events.push({ type: 'quarantine.minimum-passed', stage: 'quarantine', data: {} });
  }
  closeFollowUpPeriods(input, state, now, events);
  const ctx = createCtx(input, state, now);
  // A child grows into the next age band: pre-school at three, school at six.
  if (ctx.person.ageBand !== (state.ageBand ?? input.person.ageBand)) {
    state.ageBand = ctx.person.ageBand;
    events.push({ type: 'person.age-band-changed', stage: 'intake', data: { ageBand: ctx.person.ageBand } });
  }
  for (const stage of stageOrder(input)) {
    const { dueAt, overdueAt } = deadlineOf(state, stage);
    if (dueAt === undefined || overdueAt !== undefined || dueAt > now || isFinished(ctx.status(stage))) continue;
    (state.times[stage] ??= {}).overdueAt = now;
    // A new guardianship petition's deadline is the court's: the escalation says so.
    const petition = stage === 'documentation' && pendingPetition(state) !== undefined;
    events.push({ type: 'stage.overdue', stage, data: { dueAt: iso(dueAt), ...(petition ? { deadline: 'guardianship-petition' } : {}) }, escalation: 'stage-overdue' });
  }
  // After the overdue stages: a stage that just became overdue owes no due-soon any more.
  if (reminders) fireReminders(ctx, events);
  escalateReferrals(state, now, events);
  return events;
}

/** A referral nobody answered by its deadline goes to the referring organisation's supervisors. */
function escalateReferrals(state: PathwayState, now: number, events: AutomaticEvent[]) {
  for (const referral of state.referrals) {
    if (referral.status !== 'pending' || referral.escalatedAt !== undefined || referral.dueAt > now) continue;
    referral.escalatedAt = now;
    events.push({
      type: 'referral.unanswered',
      stage: referral.stage,
      data: { referral: referral.id, from: referral.from, to: referral.to, dueAt: iso(referral.dueAt) },
      escalation: 'referral-unanswered',
    });
  }
}
