import { z } from 'zod';
import { defineAction, RECORDERS, refusal, type StageModule } from './types.js';

const restriction = z.number().int().min(0).max(60).optional();

/** Questioning of adults by security services; a charge starts legal proceedings. */
export const security = {
  stage: 'security',
  startsItself: true,
  applies: (ctx) => !ctx.person.isChild,
  done: (ctx) => ctx.state.security.outcome === 'cleared' || ctx.state.security.courtDecision !== undefined,
  waitingFor: (ctx) =>
    ctx.state.security.outcome === 'charged' ? ['legal proceedings: waiting for the court decision'] : ['questioning has no outcome yet'],
  details: (s) => ({
    ...s.security,
    ...(s.security.courtDecision === 'convicted' && !s.security.release ? { note: 'convicted: livelihood and follow-up resume after a pardon, an amnesty or the sentence served' } : {}),
  }),
  actions: [
    defineAction({
      type: 'security.record-outcome',
      roles: RECORDERS,
      payload: z.object({ outcome: z.enum(['cleared', 'charged']), movementRestrictionMonths: restriction }).strict(),
      refuse: (ctx) => (ctx.state.security.outcome ? refusal('wrong-stage', 'The security screening outcome is already recorded.', 'security-outcome-recorded') : undefined),
      apply(ctx, payload) {
        ctx.state.security.outcome = payload.outcome;
        ctx.state.security.movementRestrictionMonths = payload.movementRestrictionMonths;
        if (payload.outcome === 'charged') ctx.emit({ kind: 'caregiver', available: false });
      },
      example: () => ({ outcome: 'cleared' as const }),
    }),
    defineAction({
      type: 'security.record-court-decision',
      roles: RECORDERS,
      // Probation (Uzbekistan) keeps the person in the community: the pathway goes on, restrictions recorded.
      payload: z.object({ decision: z.enum(['acquitted', 'convicted', 'probation']), movementRestrictionMonths: restriction }).strict(),
      refuse(ctx) {
        if (ctx.state.security.outcome !== 'charged') return refusal('wrong-stage', 'There are no legal proceedings: the person was not charged.', 'not-charged');
        return ctx.state.security.courtDecision ? refusal('wrong-stage', 'The court decision is already recorded.', 'court-decision-recorded') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.security.courtDecision = payload.decision;
        if (payload.movementRestrictionMonths !== undefined) ctx.state.security.movementRestrictionMonths = payload.movementRestrictionMonths;
        if (payload.decision !== 'convicted') ctx.emit({ kind: 'caregiver', available: true });
      },
      example: () => ({ decision: 'acquitted' as const }),
    }),
    defineAction({
      type: 'security.record-release',
      roles: RECORDERS,
      // The security stage is done with the conviction; the release comes later.
      anyStage: true,
      routine: () => false,
      payload: z.object({ basis: z.enum(['pardon', 'amnesty', 'sentence-served']) }).strict(),
      refuse(ctx) {
        if (ctx.state.security.courtDecision !== 'convicted') return refusal('wrong-stage', 'Only a convicted person is released back onto the pathway.', 'not-convicted');
        return ctx.state.security.release ? refusal('wrong-stage', 'The release is already recorded.', 'release-recorded') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.security.release = payload.basis;
        ctx.emit({ kind: 'caregiver', available: true });
      },
      example: () => ({ basis: 'pardon' as const }),
    }),
  ],
} satisfies StageModule;
