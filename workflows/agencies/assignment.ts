import { z } from 'zod';
import { Organisation, type StageName } from '../../src/domain/model.js';
import { defineAction, refusal, type Ctx } from '../stages/types.js';
import type { Assignment } from '../state.js';
import { receiversOf, SharedStage } from './shares.js';

/** The id people sign in with (a token's `sub`): never a name typed in. */
const Person = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,199}$/, 'must be the id the person signs in with');

/** Who holds the pathway, or the stage when one is named. */
const holderOf = (ctx: Ctx, stage?: StageName): Assignment | undefined =>
  stage ? ctx.state.assignments.stages[stage] : ctx.state.assignments.pathway;

/** The organisations that may hold it: the pathway's own, and for a stage one that accepted its referral. */
const holdersMayBe = (ctx: Ctx, stage?: StageName) => [...ctx.state.organisations, ...(stage ? receiversOf(ctx.state, stage) : [])];

/** Everyone who may hold some part of it: the pathway's organisations and every accepted referral's. */
const everyHolder = (ctx: Ctx) => [...new Set([...ctx.state.organisations, ...ctx.state.referrals.filter((r) => r.status === 'accepted').map((r) => r.to)])];

function hold(ctx: Ctx, stage: StageName | undefined, assignment: Assignment) {
  if (stage) ctx.state.assignments.stages[stage] = assignment;
  else ctx.state.assignments.pathway = assignment;
}

function stageRefusal(ctx: Ctx, stage: StageName | undefined) {
  if (!stage) return undefined;
  const status = ctx.status(stage);
  return status === 'done' || status === 'skipped' ? refusal('wrong-stage', `The ${stage} stage is ${status}: there is no work in it to assign.`) : undefined;
}

export const assignmentActions = [
  defineAction({
    // A coordinator or supervisor names who is responsible; assigning again hands it over.
    type: 'pathway.assign',
    roles: ['coordinator', 'supervisor'],
    anyStage: true,
    routine: () => false,
    payload: z.object({ assignee: Person, org: Organisation, stage: SharedStage.optional() }).strict(),
    // Each organisation assigns its own people, and a referral's receiver only the stage it accepted.
    organisations: (ctx, payload) => (payload ? holdersMayBe(ctx, payload.stage).filter((org) => org === payload.org) : everyHolder(ctx)),
    refuse(ctx, payload) {
      const held = holderOf(ctx, payload.stage);
      if (held?.assignee === payload.assignee && held.org === payload.org) return refusal('wrong-stage', `It is already assigned to ${payload.assignee}.`);
      return stageRefusal(ctx, payload.stage);
    },
    apply(ctx, payload, actor) {
      hold(ctx, payload.stage, { assignee: payload.assignee, org: payload.org, by: actor.id, at: ctx.now });
    },
    example: (ctx) => ({ assignee: 'staff-member', org: ctx.state.organisations[0]! }),
  }),
  defineAction({
    // Staff take unassigned work of their organisation themselves.
    type: 'pathway.claim',
    roles: ['staff'],
    anyStage: true,
    routine: () => false,
    payload: z.object({ stage: SharedStage.optional() }).strict(),
    organisations: (ctx, payload) => (payload ? holdersMayBe(ctx, payload.stage) : everyHolder(ctx)),
    refuse(ctx, payload) {
      const held = holderOf(ctx, payload.stage);
      if (held) return refusal('wrong-stage', `${payload.stage ? `The ${payload.stage} stage` : 'The pathway'} is assigned to ${held.assignee} already: a coordinator or supervisor reassigns it.`);
      return stageRefusal(ctx, payload.stage);
    },
    apply(ctx, payload, actor) {
      hold(ctx, payload.stage, { assignee: actor.id, org: actor.org, by: actor.id, at: ctx.now });
    },
    example: (): { stage?: z.infer<typeof SharedStage> } => ({}),
  }),
];
