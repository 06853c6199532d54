import { z } from 'zod';
import { defineAction, refusal, SUPERVISORS } from '../stages/types.js';

/**
 * A supervisor of the pathway's organisations hides the person's name (a person at risk) or shows
 * it again: lists show initials and an id to everyone, the pathway's own page the full name. The
 * flag is the pathway's state, written to PostgreSQL with its projection; the trail says who did it.
 */
export const hiddenNameAction = defineAction({
  type: 'pathway.hide-name',
  roles: SUPERVISORS,
  anyStage: true,
  routine: () => false,
  payload: z.object({ hidden: z.boolean().describe('true hides the name in lists, false shows it again') }).strict(),
  // Not a referral's receiver: only those who hold the pathway decide how it is listed.
  organisations: (ctx) => ctx.state.organisations,
  refuse(ctx, payload) {
    // Never chosen: not hidden, unless a transfer continued the pathway (its row copied the flag, which
    // the pathway does not know): then either answer is taken.
    const hidden = ctx.state.nameHidden ?? (ctx.input.transferredFrom === undefined ? false : undefined);
    if (hidden !== payload.hidden) return undefined;
    return refusal('wrong-stage', payload.hidden ? 'The name is hidden already.' : 'The name is not hidden.', payload.hidden ? 'name-already-hidden' : 'name-not-hidden');
  },
  apply(ctx, payload) {
    ctx.state.nameHidden = payload.hidden;
  },
  example: (ctx) => ({ hidden: !(ctx.state.nameHidden ?? false) }),
});
