import { z } from 'zod';
import { durationSeconds, isIsoDuration } from '../../src/domain/duration.js';
import type { StageName } from '../../src/domain/model.js';
import type { Refusal } from '../../src/domain/pathway.js';
import type { PathwayState, StageTimes } from '../state.js';
import { iso, parentAvailable, scaledMs } from './common.js';
import { defineAction, RECORDERS, refusal, type Ctx } from './types.js';

/** A child without an available parent needs a guardian: a court's order, or the institution caring for it. */
export const needsGuardian = (ctx: Ctx) => ctx.input.person.isChild && !parentAvailable(ctx);

/** The guardianship is settled: a court granted the order, or the institution caring for the child is its guardian by law. */
export const hasGuardian = (doc: PathwayState['documentation']) => doc.guardianshipOrder === 'granted' || doc.guardianByLaw === true;

/** A new petition the court has not decided yet (none once the guardianship is settled otherwise). */
export function pendingPetition(state: PathwayState) {
  const petition = state.documentation.guardianshipPetition;
  return petition && petition.decision === undefined && !hasGuardian(state.documentation) ? petition : undefined;
}

/** Placed in state care: the hand-over to an orphanage or boarding school is approved. */
const inStateCare = (ctx: Ctx) => ctx.state.placement.option === 'residential' && ctx.state.placement.approvedBy !== undefined;

/**
 * When a stage is due, and since when it is escalated for that date. While the court has a new
 * petition, its deadline is documentation's: the stage waits for nothing else a person can do.
 * Only pathways that filed one read their times any other way.
 */
export function deadlineOf(state: PathwayState, stage: StageName): StageTimes {
  const times = state.times[stage] ?? {};
  if (stage !== 'documentation' || !state.documentation.guardianshipPetition) return times;
  const dueAt = pendingPetition(state)?.dueAt ?? times.dueAt;
  // An escalation before this due date was for an earlier one (the stage's target, or a petition since decided).
  const escalated = times.overdueAt !== undefined && dueAt !== undefined && times.overdueAt >= dueAt;
  return { ...times, dueAt, overdueAt: escalated ? times.overdueAt : undefined };
}

/** What the guardianship still lacks, in words: the stage's blockers. */
export function guardianshipBlockers(ctx: Ctx): string[] {
  const doc = ctx.state.documentation;
  const out: string[] = [];
  if (!needsGuardian(ctx) || hasGuardian(doc)) return out;
  const petition = pendingPetition(ctx.state);
  if (petition) out.push(`waiting for the court's decision on the new guardianship petition (due ${iso(petition.dueAt)})`);
  else if (doc.guardianshipOrder !== 'refused') out.push('waiting for a guardianship order (no parent is available)');
  else if (inStateCare(ctx)) out.push('the court refused the guardianship order: record the institution caring for the child as its guardian by law, or file a new petition');
  else out.push('the court refused the guardianship order: file a new petition, or place the child in state care, where the institution caring for it is its guardian by law');
  return out;
}

/** The words for a guardian by law, so nobody takes it for a court's order. */
export function guardianshipNotes(doc: PathwayState['documentation']): string[] {
  const notes: string[] = [];
  if (!doc.guardianByLaw || doc.guardianshipOrder === 'granted') return notes;
  if (doc.guardianshipOrder === 'refused') notes.push('guardian by law: the institution caring for the child; the court refused the guardianship order');
  else notes.push('guardian by law: the institution caring for the child, without a court order');
  return notes;
}

/** How long the court has to decide a new petition: a week to a year (004: court hearings take three to four months). */
const DecisionTime = z
  .string()
  .refine((d) => isIsoDuration(d) && durationSeconds(d) >= 7 * 86_400 && durationSeconds(d) <= 365 * 86_400, 'must be an ISO 8601 duration from P7D to P1Y')
  // The console asks for it in days (JSON Schema `format: duration`, its range in days).
  .meta({ format: 'duration', 'x-days': { minimum: 7, maximum: 365 } });

const notNeeded = () => refusal('wrong-stage', 'This person does not need a guardianship order (a parent is available).', 'guardianship-not-needed');
const granted = () => refusal('wrong-stage', 'A guardianship order is already granted.', 'guardianship-already-granted');
const byLaw = () => refusal('wrong-stage', 'The institution caring for the child is already recorded as its guardian by law.', 'guardian-by-law-recorded');

function byLawRefusal(ctx: Ctx): Refusal | undefined {
  const { documentation: doc, placement } = ctx.state;
  if (!needsGuardian(ctx)) return notNeeded();
  if (doc.guardianshipOrder === 'granted') return granted();
  if (doc.guardianByLaw) return byLaw();
  if (placement.option && placement.option !== 'residential') {
    return refusal('wrong-stage', `The child's placement is ${placement.option}, not state care: only an institution caring for a child is its guardian by law. File a new petition instead.`, 'placement-not-state-care', { option: placement.option });
  }
  // A chosen option may still be rejected: the institution is the guardian once the child is in its care.
  if (!inStateCare(ctx)) return refusal('missing-prerequisite', 'The institution is the guardian by law of a child in its care: the placement in state care must be approved first.', 'state-care-not-approved');
  return undefined;
}

function petitionRefusal(ctx: Ctx): Refusal | undefined {
  const doc = ctx.state.documentation;
  if (!needsGuardian(ctx)) return notNeeded();
  if (doc.guardianshipOrder === 'granted') return granted();
  if (doc.guardianByLaw) return byLaw();
  if (doc.guardianshipOrder !== 'refused') return refusal('missing-prerequisite', 'A new petition follows a refused guardianship order: no refusal is recorded.', 'no-refused-order');
  const petition = pendingPetition(ctx.state);
  return petition ? refusal('wrong-stage', `A new petition is before the court (decision due ${iso(petition.dueAt)}): record its decision first.`, 'petition-pending', { date: iso(petition.dueAt) }) : undefined;
}

/** The court's order, or after its refusal the institution as guardian by law, or a new petition with a deadline. */
export const guardianshipActions = [
  defineAction({
    type: 'documentation.record-guardianship-order',
    roles: RECORDERS,
    // After a refusal the next step is a new petition or the guardian by law; a decision without a petition is an exception.
    routine: (ctx) => ctx.state.documentation.guardianshipOrder !== 'refused' || pendingPetition(ctx.state) !== undefined,
    payload: z.object({ decision: z.enum(['granted', 'refused']), guardian: z.enum(['relative', 'foster-carer', 'institution']) }).strict(),
    refuse(ctx) {
      if (!needsGuardian(ctx)) return notNeeded();
      return ctx.state.documentation.guardianshipOrder === 'granted' ? granted() : undefined;
    },
    apply(ctx, payload) {
      const doc = ctx.state.documentation;
      const petition = pendingPetition(ctx.state);
      if (petition) petition.decision = payload.decision;
      doc.guardianshipOrder = payload.decision;
      doc.guardian = payload.guardian;
    },
    example: (ctx) => {
      const options = ctx.template('placement')?.options ?? [];
      return { decision: 'granted' as const, guardian: options.includes('residential') && !options.includes('kinship') ? ('institution' as const) : ('relative' as const) };
    },
  }),
  defineAction({
    // A child left in an institution's care has a guardian by law: the pathway says so and goes on.
    type: 'documentation.record-guardian-by-law',
    roles: RECORDERS,
    routine: (ctx) => ctx.state.documentation.guardianshipOrder === 'refused',
    payload: z.object({}).strict(),
    refuse: byLawRefusal,
    apply(ctx) {
      ctx.state.documentation.guardianByLaw = true;
    },
    example: () => ({}),
  }),
  defineAction({
    type: 'documentation.file-guardianship-petition',
    roles: RECORDERS,
    payload: z.object({ decideWithin: DecisionTime }).strict(),
    refuse: petitionRefusal,
    apply(ctx, payload) {
      ctx.state.documentation.guardianshipPetition = { filedAt: ctx.now, dueAt: ctx.now + scaledMs(payload.decideWithin, ctx.input.clockScale) };
    },
    example: () => ({ decideWithin: 'P90D' }),
  }),
];
