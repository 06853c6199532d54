import { z } from 'zod';
import { defineAction, RECORDERS, refusal, type StageModule } from './types.js';

const restriction = z.number().int().min(0).max(60).optional();

/** Questioning of adults by security services; a charge starts legal proceedings. */
export const security: StageModule = {
  stage: 'security',
  startsItself: true,
  applies: (ctx) => !ctx.input.person.isChild,
  done: (ctx) => ctx.state.security.outcome === 'cleared' || ctx.state.security.courtDecision !== undefined,
  waitingFor: (ctx) =>
    ctx.state.security.outcome === 'charged' ? ['legal proceedings: waiting for the court decision'] : ['questioning has no outcome yet'],
  details: (s) => ({ ...s.security }),
  actions: [
    defineAction({
      type: 'security.record-outcome',
      roles: RECORDERS,
      payload: z.object({ outcome: z.enum(['cleared', 'charged']), movementRestrictionMonths: restriction }).strict(),
      refuse: (ctx) => (ctx.state.security.outcome ? refusal('wrong-stage', 'The security screening outcome is already recorded.') : undefined),
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
      payload: z.object({ decision: z.enum(['acquitted', 'convicted']), movementRestrictionMonths: restriction }).strict(),
      refuse(ctx) {
        if (ctx.state.security.outcome !== 'charged') return refusal('wrong-stage', 'There are no legal proceedings: the person was not charged.');
        return ctx.state.security.courtDecision ? refusal('wrong-stage', 'The court decision is already recorded.') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.security.courtDecision = payload.decision;
        if (payload.movementRestrictionMonths !== undefined) ctx.state.security.movementRestrictionMonths = payload.movementRestrictionMonths;
        if (payload.decision === 'acquitted') ctx.emit({ kind: 'caregiver', available: true });
      },
      example: () => ({ decision: 'acquitted' as const }),
    }),
  ],
};
