import { z } from 'zod';
import { ClosureReason, STAGES } from '../../src/domain/model.js';
import { endShares } from '../agencies/shares.js';
import { defineAction, refusal, SUPERVISORS, type Ctx, type StageModule } from './types.js';

/** Stages that keep a pathway from completing. */
export function unfinished(ctx: Ctx): string[] {
  return STAGES.filter((s) => s !== 'closure' && !['done', 'skipped'].includes(ctx.status(s)));
}

/** Charged and not (yet) acquitted, on probation, pardoned or released: livelihood and follow-up wait. */
const inLegalProceedings = (ctx: Ctx) => {
  const { outcome, courtDecision, release } = ctx.state.security;
  return outcome === 'charged' && courtDecision !== 'acquitted' && courtDecision !== 'probation' && release === undefined;
};
const completable = (ctx: Ctx) => unfinished(ctx).length === 0 && !inLegalProceedings(ctx);

/** Only a supervisor closes a pathway, always with a reason. */
export const closure = {
  stage: 'closure',
  done: (ctx) => ctx.state.closure !== undefined,
  details: (s) => ({ reason: s.closure?.reason }),
  actions: [
    defineAction({
      type: 'pathway.close',
      roles: SUPERVISORS,
      anyStage: true,
      routine: completable,
      payload: z
        .object({ reason: ClosureReason, duplicateOf: z.uuid().optional() })
        .strict()
        .refine((p) => (p.reason === 'duplicate') === (p.duplicateOf !== undefined), {
          message: 'duplicateOf names the pathway that stays, exactly when the reason is duplicate',
          path: ['duplicateOf'],
        }),
      refuse(ctx, payload) {
        if (payload.duplicateOf === ctx.input.pathwayId) return refusal('invalid-data', 'A pathway is not a duplicate of itself: name the pathway that stays.', 'duplicate-of-itself');
        if (payload.reason !== 'completed') return undefined;
        if (inLegalProceedings(ctx)) return refusal('missing-prerequisite', 'A person in legal proceedings cannot complete the pathway: close it as transferred.', 'in-legal-proceedings');
        const open = unfinished(ctx);
        return open.length ? refusal('missing-prerequisite', `The pathway is not complete: ${open.join(', ')} not done.`, 'pathway-not-complete', { stages: open }) : undefined;
      },
      apply(ctx, payload, actor) {
        ctx.state.closure = { reason: payload.reason, by: actor.id, at: ctx.now, ...(payload.duplicateOf ? { duplicateOf: payload.duplicateOf } : {}) };
        // Other organisations' access to it ends with it.
        endShares(ctx.state, ctx.now);
      },
      example: (ctx) => ({ reason: completable(ctx) ? ('completed' as const) : ('withdrawn' as const) }),
    }),
  ],
} satisfies StageModule;

export { inLegalProceedings };
