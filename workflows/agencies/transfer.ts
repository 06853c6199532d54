import { z } from 'zod';
import { OperationName, Organisation, Programme } from '../../src/domain/model.js';
import { PhaseName } from '../../src/domain/template.js';
import { defineAction, refusal, SUPERVISORS, type Ctx } from '../stages/types.js';

const pending = (ctx: Ctx) => ctx.state.transfer?.status === 'pending';
const accepted = (ctx: Ctx) => ctx.state.transfer?.status === 'accepted';
const DeclineReason = z.enum(['no-capacity', 'outside-mandate', 'wrong-region', 'other']);
const ACCEPTORS = ['coordinator', 'supervisor'] as const;

function notPending(ctx: Ctx) {
  if (accepted(ctx)) return refusal('wrong-stage', 'The transfer was accepted: the pathway closes as soon as the new one is open.', 'transfer-accepted-closing');
  return pending(ctx) ? undefined : refusal('wrong-stage', 'No transfer is waiting for an answer.', 'no-transfer-pending');
}

/**
 * A whole pathway moves to another organisation or programme (a family moving regions). The
 * receiving side accepts; the pathway then opens the new one itself and closes as transferred.
 */
export const transferActions = [
  defineAction({
    type: 'transfer.request',
    roles: SUPERVISORS,
    anyStage: true,
    routine: () => false,
    payload: z
      .object({ to: Organisation, programme: Programme.optional(), operation: OperationName.optional(), phase: PhaseName.optional() })
      .strict()
      .refine((p) => p.programme === undefined || p.operation !== undefined, {
        message: 'another programme needs the operation the person joins in it',
        path: ['operation'],
      }),
    refuse(ctx, payload) {
      if (pending(ctx) || accepted(ctx)) return refusal('wrong-stage', `A transfer to ${ctx.state.transfer!.to} is already under way.`, 'transfer-under-way', { organisation: ctx.state.transfer!.to });
      const programme = payload.programme ?? ctx.input.programme;
      if (programme === ctx.input.programme && ctx.state.organisations.includes(payload.to)) {
        return refusal('invalid-data', `${payload.to} already works on this pathway in programme ${programme}: nothing would move.`, 'organisation-already-in-programme', { organisation: payload.to, programme });
      }
      return undefined;
    },
    apply(ctx, payload, actor) {
      ctx.state.transfer = {
        to: payload.to,
        programme: payload.programme ?? ctx.input.programme,
        operation: payload.operation ?? ctx.input.operation,
        ...(payload.phase ? { phase: payload.phase } : {}),
        by: actor.id,
        requestedAt: ctx.now,
        status: 'pending',
      };
    },
    example: (): { to: string; programme?: string; operation?: string; phase?: string } => ({ to: 'partner-organisation' }),
  }),
  defineAction({
    type: 'transfer.accept',
    roles: [...ACCEPTORS],
    anyStage: true,
    routine: pending,
    payload: z.object({}).strict(),
    organisations: (ctx) => (ctx.state.transfer ? [ctx.state.transfer.to] : []),
    refuse: notPending,
    apply(ctx, _payload, actor) {
      ctx.state.transfer!.status = 'accepted';
      ctx.state.transfer!.acceptedBy = { id: actor.id, role: actor.role as (typeof ACCEPTORS)[number], org: actor.org };
    },
    example: () => ({}),
  }),
  defineAction({
    type: 'transfer.decline',
    roles: [...ACCEPTORS],
    anyStage: true,
    routine: () => false,
    payload: z.object({ reason: DeclineReason }).strict(),
    organisations: (ctx) => (ctx.state.transfer ? [ctx.state.transfer.to] : []),
    refuse: notPending,
    apply(ctx) {
      ctx.state.transfer!.status = 'declined';
    },
    example: () => ({ reason: 'no-capacity' as const }),
  }),
  defineAction({
    type: 'transfer.withdraw',
    roles: SUPERVISORS,
    anyStage: true,
    routine: () => false,
    payload: z.object({}).strict(),
    refuse: notPending,
    apply(ctx) {
      ctx.state.transfer!.status = 'withdrawn';
    },
    example: () => ({}),
  }),
];
