import { z } from 'zod';
import { Organisation, type StageName } from '../../src/domain/model.js';
import { defineAction, refusal, type Ctx } from '../stages/types.js';
import type { Assignment, PathwayState } from '../state.js';
import { receiversOf, SharedStage } from './shares.js';

/** The id people sign in with (a token's `sub`): never a name typed in. */
const Person = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,199}$/, 'must be the id the person signs in with');

/** The referral of this stage an organisation outside the pathway accepted: its hold on the stage is its own. */
const acceptedBy = (state: PathwayState, stage: StageName, org: string) =>
  state.organisations.includes(org) ? undefined : state.referrals.find((r) => r.stage === stage && r.to === org && r.status === 'accepted');

/**
 * Who of `org` holds the pathway, or the stage when one is named. The pathway's organisations share
 * one hold per stage; each referral's receiver holds the stage on its own (runs of older code kept
 * a receiver's hold in the shared one).
 */
export function holderOf(state: PathwayState, org: string, stage?: StageName): Assignment | undefined {
  if (!stage) return state.assignments.pathway;
  const shared = state.assignments.stages[stage];
  const referral = acceptedBy(state, stage, org);
  if (referral) return state.assignments.referred?.[referral.id] ?? (shared?.org === org ? shared : undefined);
  return shared && state.organisations.includes(shared.org) ? shared : undefined;
}

/** The organisations that may hold it: the pathway's own, and for a stage one that accepted its referral. */
const holdersMayBe = (ctx: Ctx, stage?: StageName) => [...ctx.state.organisations, ...(stage ? receiversOf(ctx.state, stage) : [])];

/** Everyone who may hold some part of it: the pathway's organisations and every accepted referral's. */
const everyHolder = (ctx: Ctx) => [...new Set([...ctx.state.organisations, ...ctx.state.referrals.filter((r) => r.status === 'accepted').map((r) => r.to)])];

function hold(state: PathwayState, stage: StageName | undefined, assignment: Assignment) {
  const referral = stage && acceptedBy(state, stage, assignment.org);
  if (referral) {
    (state.assignments.referred ??= {})[referral.id] = assignment;
    if (state.assignments.stages[referral.stage]?.org === assignment.org) delete state.assignments.stages[referral.stage];
  } else if (stage) state.assignments.stages[stage] = assignment;
  else state.assignments.pathway = assignment;
}

function stageRefusal(ctx: Ctx, stage: StageName | undefined) {
  if (!stage) return undefined;
  const status = ctx.status(stage);
  return status === 'done' || status === 'skipped' ? refusal('wrong-stage', `The ${stage} stage is ${status}: there is no work in it to assign.`, 'stage-has-no-work', { stage, status }) : undefined;
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
      const held = holderOf(ctx.state, payload.org, payload.stage);
      if (held?.assignee === payload.assignee && held.org === payload.org) return refusal('wrong-stage', `It is already assigned to ${payload.assignee}.`, 'already-assigned-to', { assignee: payload.assignee });
      return stageRefusal(ctx, payload.stage);
    },
    apply(ctx, payload, actor) {
      hold(ctx.state, payload.stage, { assignee: payload.assignee, org: payload.org, by: actor.id, at: ctx.now });
    },
    example: (ctx) => ({ assignee: 'staff-member', org: ctx.state.organisations[0]! }),
  }),
  defineAction({
    // Staff take work of their organisation that nobody of it holds yet.
    type: 'pathway.claim',
    roles: ['staff'],
    anyStage: true,
    routine: () => false,
    payload: z.object({ stage: SharedStage.optional() }).strict(),
    organisations: (ctx, payload) => (payload ? holdersMayBe(ctx, payload.stage) : everyHolder(ctx)),
    refuse(ctx, payload, sender) {
      // Listed (no sender) for the whole pathway: held or not is the pathway's organisations' matter.
      const held = holderOf(ctx.state, sender?.org ?? ctx.state.organisations[0]!, payload.stage);
      // Only someone of the sender's own organisation is named.
      const who = held && held.org === sender?.org ? ` to ${held.assignee}` : '';
      if (held) return refusal('wrong-stage', `${payload.stage ? `The ${payload.stage} stage` : 'The pathway'} is assigned${who} already: a coordinator or supervisor reassigns it.`, payload.stage ? 'stage-already-assigned' : 'pathway-already-assigned', { ...(payload.stage ? { stage: payload.stage } : {}), ...(who ? { assignee: held.assignee } : {}) });
      return stageRefusal(ctx, payload.stage);
    },
    apply(ctx, payload, actor) {
      hold(ctx.state, payload.stage, { assignee: actor.id, org: actor.org, by: actor.id, at: ctx.now });
    },
    example: (): { stage?: z.infer<typeof SharedStage> } => ({}),
  }),
];
