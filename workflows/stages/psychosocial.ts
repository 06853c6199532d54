import { z } from 'zod';
import { defineAction, RECORDERS, refusal, type StageModule } from './types.js';

const Need = z.enum(['low', 'medium', 'high']);

/** Assessment of psychological, social and pedagogical needs, then about two months of support. */
export const psychosocial = {
  stage: 'psychosocial',
  done: (ctx) => ctx.state.psychosocial.supportOutcome !== undefined,
  waitingFor: (ctx) => (ctx.state.psychosocial.needs ? ['support under way'] : ['no needs assessment yet']),
  details: (s) => ({ needs: s.psychosocial.needs, supportOutcome: s.psychosocial.supportOutcome, declinedBy: s.psychosocial.declinedBy }),
  actions: [
    defineAction({
      type: 'psychosocial.record-assessment',
      roles: RECORDERS,
      payload: z.object({ psychological: Need, social: Need, pedagogical: Need.optional() }).strict(),
      refuse: (ctx) => (ctx.state.psychosocial.needs ? refusal('wrong-stage', 'The needs assessment is already recorded.', 'needs-assessment-recorded') : undefined),
      apply(ctx, payload) {
        ctx.state.psychosocial.needs = { ...payload };
      },
      example: (ctx) =>
        ctx.person.isChild
          ? { psychological: 'medium' as const, social: 'medium' as const, pedagogical: 'medium' as const }
          : { psychological: 'medium' as const, social: 'medium' as const },
    }),
    defineAction({
      type: 'psychosocial.complete-support',
      roles: RECORDERS,
      payload: z.object({ outcome: z.enum(['completed', 'referred-to-specialist']) }).strict(),
      refuse: (ctx) =>
        ctx.state.psychosocial.needs ? undefined : refusal('missing-prerequisite', 'Support follows a needs assessment: record the assessment first.', 'needs-assessment-first'),
      apply(ctx, payload) {
        ctx.state.psychosocial.supportOutcome = payload.outcome;
      },
      example: () => ({ outcome: 'completed' as const }),
    }),
    defineAction({
      // Participation is voluntary (004): a person, or a child's guardian, may decline support.
      type: 'psychosocial.record-declined',
      roles: RECORDERS,
      routine: () => false,
      payload: z.object({ by: z.enum(['person', 'guardian']) }).strict(),
      refuse: (ctx) => (ctx.state.psychosocial.supportOutcome ? refusal('wrong-stage', 'Support has already ended.', 'support-ended') : undefined),
      apply(ctx, payload) {
        ctx.state.psychosocial.supportOutcome = 'declined';
        ctx.state.psychosocial.declinedBy = payload.by;
      },
      example: (ctx) => ({ by: ctx.person.isChild ? ('guardian' as const) : ('person' as const) }),
    }),
  ],
} satisfies StageModule;
