import { z } from 'zod';
import { PlacementOption, Reference } from '../../src/domain/model.js';
import type { Refusal } from '../../src/domain/pathway.js';
import type { PathwayState } from '../state.js';
import { hasSiblings, parentAvailable, siblingHouseholds } from './common.js';
import { hasGuardian, pendingPetition } from './guardianship.js';
import { defineAction, PLANNERS, RECORDERS, refusal, SUPERVISORS, type Ctx, type StageModule } from './types.js';

const usableOptions = (ctx: Ctx) => (ctx.template('placement')?.options ?? []).filter((o) => o !== 'mother' || parentAvailable(ctx));
const pending = (ctx: Ctx) => ctx.state.placement.requestedBy !== undefined;
const pendingRefusal = () => refusal('wrong-stage', 'An approval request is pending: a supervisor must approve or reject it first.', 'approval-pending');

/** Children of one family group live together unless a supervisor recorded an exception. */
function groupRefusal(ctx: Ctx, householdId: string | undefined): Refusal | undefined {
  if (ctx.state.placement.separationException) return undefined;
  const elsewhere = siblingHouseholds(ctx).filter((h) => h !== householdId);
  if (elsewhere.length === 0) return undefined;
  return refusal(
    'group-rule',
    `Siblings of this family group are placed in household ${elsewhere.join(', ')}: place the child there, or a supervisor must record a separation exception.`, 'siblings-placed-elsewhere', { households: elsewhere },
  );
}

/** A court's decision is awaited: none recorded yet, or one on a new petition (a refusal without one is documentation's to say). */
const orderAwaited = (s: PathwayState) =>
  !hasGuardian(s.documentation) && (s.documentation.guardianshipOrder === undefined || pendingPetition(s) !== undefined);

const orderPending = (ctx: Ctx) => !parentAvailable(ctx) && ctx.state.documentation.guardianshipOrder !== 'granted';

/**
 * A family placement needs a court's guardianship order when no parent is available. State care
 * does not wait for it: in Tajikistan the order stalls while mothers are detained abroad, and the
 * children live in orphanages and boarding schools meanwhile (004). The order stays tracked.
 */
function guardianshipRefusal(ctx: Ctx): Refusal | undefined {
  if (!orderPending(ctx) || ctx.state.placement.option === 'residential') return undefined;
  return refusal('missing-prerequisite', 'No parent is available: placement with a family needs a guardianship order from a court first (state care does not).', 'guardianship-order-first');
}

/** Relatives and foster families are assessed, cleared and must accept the child; a mother or state care are not. */
const vettedFamily = (ctx: Ctx) => ctx.state.placement.option === 'kinship' || ctx.state.placement.option === 'foster';

/** What the current decision still lacks before it can go to a supervisor. */
function decisionGaps(ctx: Ctx): string[] {
  const p = ctx.state.placement;
  const gaps: string[] = [];
  if (!p.option) return ['no placement option chosen'];
  if (!vettedFamily(ctx)) return gaps;
  if (p.homeAssessment !== 'suitable') gaps.push(p.homeAssessment ? 'the home assessment found the household unsuitable' : 'no home assessment');
  if (p.familyClearance !== 'cleared') gaps.push(p.familyClearance ? 'the family was not cleared' : 'the family has not been cleared');
  // Older pathways began before consent was recorded: only theirs may go without it.
  if (p.familyAcceptance !== 'accepted' && (ctx.input.rulesVersion ?? 1) >= 2) {
    gaps.push(p.familyAcceptance ? 'the family declined to take the child' : 'the family has not accepted the child yet');
  }
  return gaps;
}

/** The hand-over waits for the end of quarantine; preparing it does not (Kyrgyzstan vetted relatives before arrival). */
function stillInQuarantine(ctx: Ctx): Refusal | undefined {
  const status = ctx.status('quarantine');
  if (status === 'done' || status === 'skipped') return undefined;
  return refusal('missing-prerequisite', 'The child is still in quarantine: the hand-over is approved after release.', 'still-in-quarantine');
}

const familyStep = (ctx: Ctx) =>
  needsOption(ctx) ?? (vettedFamily(ctx) ? undefined : refusal('wrong-stage', `Placement ${ctx.state.placement.option === 'mother' ? 'with the mother' : 'in state care'} needs no family vetting.`, ctx.state.placement.option === 'mother' ? 'no-vetting-for-mother' : 'no-vetting-for-state-care'));

function defaultHousehold(ctx: Ctx): string {
  return siblingHouseholds(ctx)[0] ?? `household-${(ctx.input.familyGroupId ?? ctx.input.pathwayId).slice(0, 40)}`;
}

function needsOption(ctx: Ctx): Refusal | undefined {
  if (pending(ctx)) return pendingRefusal();
  return ctx.state.placement.option ? undefined : refusal('missing-prerequisite', 'Choose a placement option first.', 'choose-option-first');
}

function record(ctx: Ctx, actorId: string) {
  if (!ctx.state.placement.recordedBy.includes(actorId)) ctx.state.placement.recordedBy.push(actorId);
}

/** Placement with the mother, relatives, a vetted foster family or residential care, approved by a supervisor. */
export const placement = {
  stage: 'placement',
  done: (ctx) => ctx.state.placement.approvedBy !== undefined,
  waitingFor(ctx) {
    if (pending(ctx)) return [stillInQuarantine(ctx) ? 'waiting for the end of quarantine, then a supervisor' : 'waiting for a supervisor to approve or reject'];
    const gaps = decisionGaps(ctx);
    const guardianship = guardianshipRefusal(ctx);
    return gaps.length || guardianship ? [...gaps, ...(guardianship ? ['a guardianship order'] : [])] : ['approval not yet requested'];
  },
  details: (s) => ({
    option: s.placement.option,
    householdId: s.placement.householdId,
    homeAssessment: s.placement.homeAssessment,
    familyClearance: s.placement.familyClearance,
    approvalRequested: s.placement.requestedBy !== undefined,
    familyAcceptance: s.placement.familyAcceptance,
    vettedBeforeArrival: s.placement.vettedBeforeArrival,
    approved: s.placement.approvedBy !== undefined,
    separationException: s.placement.separationException?.reason,
    ...(s.placement.approvedBy && s.placement.option === 'residential' && orderAwaited(s) ? { note: 'placed in state care; guardianship order pending' } : {}),
  }),
  actions: [
    defineAction({
      type: 'placement.choose-option',
      roles: PLANNERS,
      payload: z.object({ option: PlacementOption, householdId: Reference }).strict(),
      refuse(ctx, payload) {
        const p = ctx.state.placement;
        if (pending(ctx)) return pendingRefusal();
        if (p.option && p.homeAssessment !== 'unsuitable' && p.familyClearance !== 'refused' && p.familyAcceptance !== 'declined') {
          return refusal('wrong-stage', 'An option is already chosen: it can change after an unsuitable assessment, a refused clearance, a family that declined, or a rejection.', 'option-already-chosen');
        }
        const offered = ctx.template('placement')?.options ?? [];
        if (!offered.includes(payload.option)) {
          return refusal('invalid-data', `Programme ${ctx.input.programme} offers ${offered.join(', ')}, not ${payload.option}.`, 'option-not-offered', { programme: ctx.input.programme, options: offered, option: payload.option });
        }
        if (payload.option === 'mother' && !parentAvailable(ctx)) {
          return refusal('missing-prerequisite', 'The mother is not available to care for the child: choose another option.', 'mother-not-available');
        }
        return groupRefusal(ctx, payload.householdId);
      },
      apply(ctx, payload, actor) {
        // A new decision: its recorders are whoever chose it and whoever allowed the separation.
        const exception = ctx.state.placement.separationException;
        const recordedBy = [...new Set([actor.id, ...(exception ? [exception.by] : [])])];
        ctx.state.placement = { ...ctx.state.placement, option: payload.option, householdId: payload.householdId, recordedBy };
        delete ctx.state.placement.homeAssessment;
        delete ctx.state.placement.familyClearance;
        delete ctx.state.placement.familyAcceptance;
      },
      example(ctx) {
        const usable = usableOptions(ctx);
        return { option: usable[0] ?? (ctx.template('placement')?.options ?? [])[0]!, householdId: defaultHousehold(ctx) };
      },
      // The programme's options, without the mother when she is not there to care for the child.
      choices: (ctx) => ({ option: usableOptions(ctx) }),
    }),
    defineAction({
      type: 'placement.record-home-assessment',
      roles: RECORDERS,
      payload: z
        .object({ result: z.enum(['suitable', 'unsuitable']), socioEconomic: z.enum(['adequate', 'needs-support']), vettedBeforeArrival: z.boolean().optional() })
        .strict(),
      refuse: (ctx) => familyStep(ctx) ?? (ctx.state.placement.homeAssessment ? refusal('wrong-stage', 'The home assessment is already recorded.', 'home-assessment-recorded') : undefined),
      apply(ctx, payload, actor) {
        ctx.state.placement.homeAssessment = payload.result;
        if (payload.vettedBeforeArrival) ctx.state.placement.vettedBeforeArrival = true;
        record(ctx, actor.id);
      },
      example: () => ({ result: 'suitable' as const, socioEconomic: 'adequate' as const }),
    }),
    defineAction({
      type: 'placement.record-family-clearance',
      roles: RECORDERS,
      payload: z.object({ result: z.enum(['cleared', 'refused']), vettedBeforeArrival: z.boolean().optional() }).strict(),
      refuse: (ctx) => familyStep(ctx) ?? (ctx.state.placement.familyClearance ? refusal('wrong-stage', 'The family clearance is already recorded.', 'family-clearance-recorded') : undefined),
      apply(ctx, payload, actor) {
        ctx.state.placement.familyClearance = payload.result;
        if (payload.vettedBeforeArrival) ctx.state.placement.vettedBeforeArrival = true;
        record(ctx, actor.id);
      },
      example: () => ({ result: 'cleared' as const }),
    }),
    defineAction({
      // Relatives had to accept the child (004): their consent, or their refusal, is recorded.
      type: 'placement.record-family-acceptance',
      roles: RECORDERS,
      payload: z.object({ accepted: z.boolean() }).strict(),
      refuse: (ctx) => familyStep(ctx) ?? (ctx.state.placement.familyAcceptance ? refusal('wrong-stage', "The family's answer is already recorded.", 'family-answer-recorded') : undefined),
      apply(ctx, payload, actor) {
        ctx.state.placement.familyAcceptance = payload.accepted ? 'accepted' : 'declined';
        record(ctx, actor.id);
      },
      example: () => ({ accepted: true }),
    }),
    defineAction({
      type: 'placement.request-approval',
      roles: PLANNERS,
      payload: z.object({}).strict(),
      refuse(ctx) {
        if (pending(ctx)) return pendingRefusal();
        const gaps = decisionGaps(ctx);
        if (gaps.length) return refusal('missing-prerequisite', `The placement decision is incomplete: ${gaps.join('; ')}.`, 'placement-decision-incomplete', { gaps });
        return guardianshipRefusal(ctx) ?? groupRefusal(ctx, ctx.state.placement.householdId);
      },
      apply(ctx, _payload, actor) {
        ctx.state.placement.requestedBy = actor.id;
      },
      example: () => ({}),
    }),
    defineAction({
      type: 'placement.approve',
      roles: SUPERVISORS,
      payload: z.object({}).strict(),
      refuse(ctx) {
        if (!pending(ctx)) return refusal('missing-prerequisite', 'Nobody has requested approval of a placement decision.', 'no-approval-requested');
        return stillInQuarantine(ctx) ?? guardianshipRefusal(ctx) ?? groupRefusal(ctx, ctx.state.placement.householdId);
      },
      excluded: (ctx) => [...new Set([ctx.state.placement.requestedBy!, ...ctx.state.placement.recordedBy])],
      apply(ctx, _payload, actor) {
        ctx.state.placement.approvedBy = actor.id;
        ctx.emit({ kind: 'placed', householdId: ctx.state.placement.householdId!, separated: ctx.state.placement.separationException !== undefined });
      },
      example: () => ({}),
    }),
    defineAction({
      type: 'placement.reject',
      roles: SUPERVISORS,
      routine: () => false,
      payload: z.object({ reason: z.enum(['household-unsuitable', 'assessment-insufficient', 'child-objects', 'other']) }).strict(),
      refuse: (ctx) => (pending(ctx) ? undefined : refusal('missing-prerequisite', 'Nobody has requested approval of a placement decision.', 'no-approval-requested')),
      apply(ctx) {
        ctx.state.placement = { recordedBy: [], separationException: ctx.state.placement.separationException };
      },
      example: () => ({ reason: 'other' as const }),
    }),
    defineAction({
      type: 'placement.record-separation-exception',
      roles: SUPERVISORS,
      routine: () => false,
      payload: z.object({ reason: z.enum(['safeguarding', 'specialist-care', 'court-order', 'age-difference', 'other']) }).strict(),
      refuse(ctx) {
        if (!hasSiblings(ctx)) return refusal('group-rule', 'The child has no siblings on pathways in a family group.', 'no-siblings-in-group');
        return ctx.state.placement.separationException ? refusal('wrong-stage', 'A separation exception is already recorded.', 'separation-exception-recorded') : undefined;
      },
      apply(ctx, payload, actor) {
        ctx.state.placement.separationException = { reason: payload.reason, by: actor.id };
        record(ctx, actor.id);
      },
      example: () => ({ reason: 'safeguarding' as const }),
    }),
  ],
} satisfies StageModule;
