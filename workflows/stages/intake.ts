import { z } from 'zod';
import { Organisation } from '../../src/domain/model.js';
import { defineAction, refusal, SUPERVISORS, type StageModule } from './types.js';

/** Registration on arrival: done when the pathway opens with the person's record. */
export const intake = {
  stage: 'intake',
  done: () => true,
  details: (s) => ({ organisations: s.organisations }),
  actions: [
    defineAction({
      type: 'pathway.reassign',
      roles: SUPERVISORS,
      anyStage: true,
      routine: () => false,
      payload: z.object({ organisations: z.array(Organisation).min(1).max(10) }).strict(),
      refuse(ctx, payload) {
        const wanted = [...new Set(payload.organisations)].sort();
        const current = [...ctx.state.organisations].sort();
        return wanted.join() === current.join() ? refusal('wrong-stage', 'The pathway is already assigned to exactly these organisations.', 'already-these-organisations') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.organisations = [...new Set(payload.organisations)];
      },
      example: (ctx) => ({ organisations: [...ctx.state.organisations, 'partner-organisation'] }),
    }),
  ],
} satisfies StageModule;
