import { z } from 'zod';
import { defineAction, RECORDERS, refusal, type StageModule } from './types.js';

/** The adults' track: vocational training, employment, housing and benefits. */
export const livelihood = {
  stage: 'livelihood',
  applies: (ctx) => !ctx.person.isChild,
  done: (ctx) => ctx.state.livelihood.outcome !== undefined,
  waitingFor: (ctx) => (ctx.state.livelihood.track ? ['no outcome yet'] : ['no plan yet']),
  details: (s) => ({ ...s.livelihood }),
  actions: [
    defineAction({
      type: 'livelihood.record-plan',
      roles: RECORDERS,
      payload: z.object({ track: z.enum(['vocational-training', 'employment', 'farming', 'benefits']), housingSupport: z.boolean() }).strict(),
      refuse: (ctx) => (ctx.state.livelihood.track ? refusal('wrong-stage', 'A plan is already recorded.', 'plan-recorded') : undefined),
      apply(ctx, payload) {
        ctx.state.livelihood.track = payload.track;
      },
      example: () => ({ track: 'vocational-training' as const, housingSupport: true }),
    }),
    defineAction({
      type: 'livelihood.record-outcome',
      roles: RECORDERS,
      payload: z.object({ outcome: z.enum(['employed', 'self-employed', 'in-training', 'receiving-benefits', 'not-working']) }).strict(),
      refuse: (ctx) => (ctx.state.livelihood.track ? undefined : refusal('missing-prerequisite', 'Record the plan first.', 'plan-first')),
      apply(ctx, payload) {
        ctx.state.livelihood.outcome = payload.outcome;
      },
      example: () => ({ outcome: 'employed' as const }),
    }),
    defineAction({
      // A returnee may decline the service; the decision is recorded and the track ends.
      type: 'livelihood.record-declined',
      roles: RECORDERS,
      routine: () => false,
      payload: z.object({}).strict(),
      refuse: (ctx) => (ctx.state.livelihood.outcome ? refusal('wrong-stage', 'The track has already ended.', 'track-ended') : undefined),
      apply(ctx) {
        ctx.state.livelihood.outcome = 'declined';
      },
      example: () => ({}),
    }),
  ],
} satisfies StageModule;
