import { z } from 'zod';
import { defineAction, RECORDERS, refusal, type StageModule } from './types.js';

const Need = z.enum(['amputation', 'chronic-illness', 'learning-delay', 'disability', 'mental-health', 'other']);

/**
 * Medical care that continues after quarantine: amputations, chronic illness, learning delays
 * (004, the regional centres). It applies once someone refers the person, and ends when the
 * care is completed or handed to a specialist service.
 */
export const care = {
  stage: 'care',
  applies: (ctx) => ctx.state.care.needs !== undefined,
  done: (ctx) => ctx.state.care.outcome !== undefined,
  waitingFor: (ctx) => [`continuing care under way (${ctx.state.care.reviews} review(s) so far)`],
  details: (s) => ({ needs: s.care.needs, reviews: s.care.reviews, outcome: s.care.outcome }),
  actions: [
    defineAction({
      type: 'care.refer',
      roles: RECORDERS,
      anyStage: true,
      routine: () => false,
      payload: z.object({ needs: z.array(Need).min(1).max(6) }).strict(),
      refuse(ctx) {
        if (!ctx.template('care')) return refusal('wrong-stage', `Programme ${ctx.input.programme} has no continuing-care stage in this pathway's template.`, 'no-care-stage', { programme: ctx.input.programme });
        return ctx.state.care.needs !== undefined && ctx.state.care.outcome === undefined ? refusal('wrong-stage', 'Continuing care is already under way.', 'care-under-way') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.care = { needs: [...new Set(payload.needs)], reviews: 0 };
      },
      example: () => ({ needs: ['chronic-illness' as const] }),
    }),
    defineAction({
      type: 'care.complete',
      roles: RECORDERS,
      payload: z.object({ outcome: z.enum(['recovered', 'stable', 'transferred-to-specialist', 'declined']) }).strict(),
      refuse: (ctx) => (ctx.state.care.reviews === 0 ? refusal('missing-prerequisite', 'Record at least one review before care ends.', 'review-first') : undefined),
      apply(ctx, payload) {
        ctx.state.care.outcome = payload.outcome;
      },
      example: () => ({ outcome: 'stable' as const }),
    }),
    defineAction({
      type: 'care.record-review',
      roles: RECORDERS,
      // Moves the care on only the first time; later reviews are recorded as needed.
      routine: (ctx) => ctx.state.care.reviews === 0,
      payload: z.object({ progress: z.enum(['improving', 'stable', 'worse']) }).strict(),
      apply(ctx) {
        ctx.state.care.reviews += 1;
      },
      example: () => ({ progress: 'stable' as const }),
    }),
  ],
} satisfies StageModule;
