import { z } from 'zod';
import { ClosureReason, STAGES } from '../../src/domain/model.js';
import { endShares } from '../agencies/shares.js';
import { runs } from '../changes.js';
import type { Closing } from '../state.js';
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

const requested = (ctx: Ctx) => ctx.state.closeRequest !== undefined;
const noRequest = () => refusal('missing-prerequisite', 'Nobody has asked to close this pathway early.', 'no-close-request');

function close(ctx: Ctx, closing: Closing, approvedBy?: string) {
  ctx.state.closure = { ...closing, ...(approvedBy ? { approvedBy } : {}) };
  delete ctx.state.closeRequest;
  // Other organisations' access to it ends with it.
  endShares(ctx.state, ctx.now);
}

/**
 * Only a supervisor closes a pathway, always with a reason. Closing it early (any reason but
 * completed, a duplicate too) is asked by one supervisor and approved by another, as a placement:
 * it ends the person's services and, as a duplicate, removes them from the reports. A transfer
 * closes the pathway itself once the receiver accepted it (agencies/transfer-step.ts).
 */
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
        if (requested(ctx)) return refusal('wrong-stage', 'A request to close this pathway early is pending: a second supervisor must approve or reject it first.', 'close-request-pending');
        if (payload.duplicateOf === ctx.input.pathwayId) return refusal('invalid-data', 'A pathway is not a duplicate of itself: name the pathway that stays.', 'duplicate-of-itself');
        if (payload.reason !== 'completed') return undefined;
        if (inLegalProceedings(ctx)) return refusal('missing-prerequisite', 'A person in legal proceedings cannot complete the pathway: close it as transferred.', 'in-legal-proceedings');
        const open = unfinished(ctx);
        return open.length ? refusal('missing-prerequisite', `The pathway is not complete: ${open.join(', ')} not done.`, 'pathway-not-complete', { stages: open }) : undefined;
      },
      apply(ctx, payload, actor) {
        const closing: Closing = { reason: payload.reason, by: actor.id, at: ctx.now, ...(payload.duplicateOf ? { duplicateOf: payload.duplicateOf } : {}) };
        // Pathways whose histories closed early at once keep doing so on replay.
        if (payload.reason !== 'completed' && runs(ctx.input, 'early-close-approved')) ctx.state.closeRequest = closing;
        else close(ctx, closing);
      },
      example: (ctx) => ({ reason: completable(ctx) ? ('completed' as const) : ('withdrawn' as const) }),
    }),
    defineAction({
      type: 'pathway.close-approve',
      roles: SUPERVISORS,
      anyStage: true,
      // Work for the organisation's other supervisors: it is in their approvals.
      routine: requested,
      payload: z.object({}).strict(),
      refuse: (ctx) => (requested(ctx) ? undefined : noRequest()),
      excluded: (ctx) => (ctx.state.closeRequest ? [ctx.state.closeRequest.by] : []),
      fourEyes: { message: 'A supervisor may not approve closing a pathway they asked to close themselves: another supervisor must.', code: 'four-eyes-close' },
      apply(ctx, _payload, actor) {
        // Closed now: `by` stays whoever asked.
        close(ctx, { ...ctx.state.closeRequest!, at: ctx.now }, actor.id);
      },
      example: () => ({}),
    }),
    defineAction({
      // Keeps the pathway open; whoever asked may take the request back this way too.
      type: 'pathway.close-reject',
      roles: SUPERVISORS,
      anyStage: true,
      routine: () => false,
      payload: z.object({}).strict(),
      refuse: (ctx) => (requested(ctx) ? undefined : noRequest()),
      apply(ctx) {
        delete ctx.state.closeRequest;
      },
      example: () => ({}),
    }),
  ],
} satisfies StageModule;

export { inLegalProceedings };
