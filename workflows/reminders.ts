import type { StageName } from '../src/domain/model.js';
import type { PathwayInput } from '../src/domain/pathway.js';
import { isFinished, stageOrder } from './rules.js';
import { iso, scaledMs } from './stages/common.js';
import { deadlineOf, pendingPetition } from './stages/guardianship.js';
import type { AutomaticEvent, Ctx } from './stages/types.js';

/** For pathways whose template snapshot predates reminders (opened before workflow version 4). */
export const REMINDER_DEFAULTS = { remindBefore: 'P3D', escalateAfter: 'P7D' } as const;

/** A reminder a stage still owes for its current due date, and when it comes. */
interface Reminder {
  stage: StageName;
  kind: 'due-soon' | 'escalation';
  at: number;
  dueAt: number;
  overdueAt?: number;
}

/** The stage's own periods, else the template's, else the defaults; compressed like every template duration. */
function periodsOf(input: PathwayInput, stage: StageName) {
  const own = input.template.stages.find((s) => s.stage === stage);
  const base = input.template.reminders ?? REMINDER_DEFAULTS;
  return {
    remindBefore: scaledMs(own?.remindBefore ?? base.remindBefore, input.clockScale),
    escalateAfter: scaledMs(own?.escalateAfter ?? base.escalateAfter, input.clockScale),
  };
}

/**
 * What each unfinished stage with a due date still owes: before its due date, one `due-soon` per
 * date; once overdue, one escalation per overdue. A due date that was near from the moment it was
 * set (a short court deadline) is reminded of by nothing but the date itself.
 */
export function pendingReminders(ctx: Ctx): Reminder[] {
  const reminders: Reminder[] = [];
  for (const stage of stageOrder(ctx.input)) {
    const times = deadlineOf(ctx.state, stage);
    const { dueAt, overdueAt } = times;
    if (dueAt === undefined || isFinished(ctx.status(stage))) continue;
    const { remindBefore, escalateAfter } = periodsOf(ctx.input, stage);
    if (overdueAt === undefined) {
      const at = dueAt - remindBefore;
      const since = (stage === 'documentation' ? pendingPetition(ctx.state)?.filedAt : undefined) ?? times.readyAt ?? 0;
      // A reminder at or after this date's moment was for it (or for a later date, which covers it).
      const reminded = times.remindedAt !== undefined && times.remindedAt >= at;
      if (!reminded && at > since) reminders.push({ stage, kind: 'due-soon', at, dueAt });
    } else if (times.escalatedAt === undefined || times.escalatedAt < overdueAt) {
      reminders.push({ stage, kind: 'escalation', at: overdueAt + escalateAfter, dueAt, overdueAt });
    }
  }
  return reminders;
}

/**
 * The reminders whose time has come, noted in the state so each is told once. A stage already
 * past its due date gets no `due-soon` (a pathway opened late, a worker away): `stage.overdue`
 * says it instead.
 */
export function fireReminders(ctx: Ctx, events: AutomaticEvent[]): void {
  const { state, now } = ctx;
  for (const { stage, kind, at, dueAt, overdueAt } of pendingReminders(ctx)) {
    if (at > now) continue;
    const times = (state.times[stage] ??= {});
    if (kind === 'due-soon') {
      if (dueAt <= now) continue;
      times.remindedAt = now;
      events.push({ type: 'stage.due-soon', stage, data: { dueAt: iso(dueAt) } });
    } else {
      times.escalatedAt = now;
      events.push({ type: 'stage.overdue-escalated', stage, data: { dueAt: iso(dueAt), overdueAt: iso(overdueAt!) } });
    }
  }
}
