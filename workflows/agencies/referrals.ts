import { z } from 'zod';
import { isIsoDuration, durationSeconds } from '../../src/domain/duration.js';
import { Organisation } from '../../src/domain/model.js';
import { scaledMs } from '../stages/common.js';
import { defineAction, PLANNERS, refusal, SUPERVISORS, type Ctx } from '../stages/types.js';
import type { Referral } from '../state.js';
import { endReferral, isOpenReferral, referral, SharedStage } from './shares.js';

const ReferralReason = z.enum(['psychosocial-support', 'continuing-care', 'follow-up', 'legal-aid', 'education-support', 'livelihood-support', 'other']);
const DeclineReason = z.enum(['no-capacity', 'outside-mandate', 'person-unreachable', 'person-declined', 'other']);
/** A child without a guardian yet is referred on a legal basis instead of consent. */
const LegalBasis = z.enum(['no-guardian-yet', 'court-order', 'child-protection-duty']);
const Consent = z.union([z.object({ by: z.enum(['person', 'guardian']) }).strict(), z.object({ legalBasis: LegalBasis }).strict()]);

/** How long the receiving organisation has to answer: from an hour to 30 days. */
const ResponseTime = z
  .string()
  .refine((d) => isIsoDuration(d) && durationSeconds(d) >= 3600 && durationSeconds(d) <= 30 * 86_400, 'must be an ISO 8601 duration from PT1H to P30D')
  // The console asks for it in days (JSON Schema `format: duration`, its range in days).
  .meta({ format: 'duration', 'x-days': { minimum: 1, maximum: 30 } });

const ReferralRef = z.object({ referral: z.string().regex(/^[0-9]{1,9}$/, 'must be a referral id') });

const open = (ctx: Ctx) => ctx.state.referrals.filter(isOpenReferral);
const pendingTo = (ctx: Ctx) => ctx.state.referrals.filter((r) => r.status === 'pending');
const accepted = (ctx: Ctx) => ctx.state.referrals.filter((r) => r.status === 'accepted');

function unknown(id: string) {
  return refusal('invalid-data', `There is no referral ${id} on this pathway.`, 'unknown-referral', { referral: id });
}

/** The referral named by the payload, refused unless its status is one of `statuses`. */
function named(ctx: Ctx, id: string, statuses: Referral['status'][], doing: string) {
  const found = referral(ctx.state, id);
  if (!found) return { refusal: unknown(id) };
  if (!statuses.includes(found.status)) return { refusal: refusal('wrong-stage', `Referral ${id} is ${found.status}: it cannot be ${doing}.`, 'referral-wrong-status', { referral: id, status: found.status, doing }) };
  return { found };
}

const idOf = (list: Referral[]) => ({ referral: list[0]?.id ?? '0' });
/** One example per referral: each is listed to its own receiver. */
const eachOf = (list: Referral[]) => list.map((r) => ({ referral: r.id }));
/** The organisation the named referral went to (none for an unknown one); without one named, every one `list` went to. */
const toOf = (ctx: Ctx, payload: { referral: string } | undefined, list: Referral[]) =>
  [...new Set((payload ? [referral(ctx.state, payload.referral)] : list).flatMap((r) => (r ? [r.to] : [])))];
/** The audit entry of an answer names the referred stage. */
const referredStage = (ctx: Ctx, payload: { referral: string }) => referral(ctx.state, payload.referral)?.stage ?? 'intake';

export const referralActions = [
  defineAction({
    type: 'referral.create',
    roles: PLANNERS,
    anyStage: true,
    routine: () => false,
    payload: z
      .object({ stage: SharedStage, to: Organisation, reason: ReferralReason, consent: Consent, respondWithin: ResponseTime })
      .strict(),
    auditStage: (_ctx, payload) => payload.stage,
    refuse(ctx, payload) {
      const status = ctx.status(payload.stage);
      if (!ctx.template(payload.stage) || status === 'skipped') return refusal('wrong-stage', `The ${payload.stage} stage does not apply to this pathway.`, 'stage-not-applicable', { stage: payload.stage });
      if (status === 'done') return refusal('wrong-stage', `The ${payload.stage} stage is already done.`, 'stage-already-done', { stage: payload.stage });
      if (ctx.state.organisations.includes(payload.to)) return refusal('invalid-data', `${payload.to} already works on this pathway.`, 'organisation-already-on-pathway', { organisation: payload.to });
      if (open(ctx).some((r) => r.stage === payload.stage && r.to === payload.to)) {
        return refusal('wrong-stage', `The ${payload.stage} stage is already referred to ${payload.to}.`, 'stage-already-referred', { stage: payload.stage, organisation: payload.to });
      }
      if (ctx.person.isChild) return undefined;
      if ('legalBasis' in payload.consent) return refusal('invalid-data', 'An adult consents to a referral: a legal basis stands in only for a child without a guardian.', 'adult-needs-no-legal-basis');
      return payload.consent.by === 'guardian' ? refusal('invalid-data', 'An adult consents to a referral themselves.', 'adult-consents-themselves') : undefined;
    },
    apply(ctx, payload, actor) {
      ctx.state.referrals.push({
        // The seq of the entry about to be recorded: the referral is known by the step that made it.
        id: String(ctx.state.seq + 1),
        stage: payload.stage,
        from: actor.org,
        to: payload.to,
        by: actor.id,
        reason: payload.reason,
        consent: payload.consent,
        status: 'pending',
        requestedAt: ctx.now,
        dueAt: ctx.now + scaledMs(payload.respondWithin, ctx.input.clockScale),
      });
    },
    example(ctx) {
      const stage = SharedStage.options.find((s) => ctx.template(s) && ['ready', 'active', 'blocked'].includes(ctx.status(s))) ?? 'psychosocial';
      return {
        stage,
        to: 'partner-organisation',
        reason: 'psychosocial-support' as const,
        consent: ctx.person.isChild ? { by: 'guardian' as const } : { by: 'person' as const },
        respondWithin: 'P5D',
      };
    },
  }),
  defineAction({
    type: 'referral.accept',
    roles: PLANNERS,
    anyStage: true,
    routine: (ctx) => pendingTo(ctx).length > 0,
    payload: ReferralRef.strict(),
    organisations: (ctx, payload) => toOf(ctx, payload, pendingTo(ctx)),
    auditStage: (ctx, payload) => referredStage(ctx, payload),
    refuse: (ctx, payload) => named(ctx, payload.referral, ['pending'], 'accepted').refusal,
    apply(ctx, payload, actor) {
      const r = referral(ctx.state, payload.referral)!;
      r.status = 'accepted';
      r.answeredBy = actor.id;
    },
    example: (ctx) => idOf(pendingTo(ctx)),
    examples: (ctx) => eachOf(pendingTo(ctx)),
  }),
  defineAction({
    type: 'referral.decline',
    roles: PLANNERS,
    anyStage: true,
    routine: () => false,
    payload: ReferralRef.extend({ reason: DeclineReason }).strict(),
    organisations: (ctx, payload) => toOf(ctx, payload, pendingTo(ctx)),
    auditStage: (ctx, payload) => referredStage(ctx, payload),
    refuse: (ctx, payload) => named(ctx, payload.referral, ['pending'], 'declined').refusal,
    apply(ctx, payload, actor) {
      const r = referral(ctx.state, payload.referral)!;
      Object.assign(r, { answeredBy: actor.id, declineReason: payload.reason });
      endReferral(ctx.state, r, 'declined', ctx.now);
    },
    example: (ctx) => ({ ...idOf(pendingTo(ctx)), reason: 'no-capacity' as const }),
    examples: (ctx) => eachOf(pendingTo(ctx)).map((e) => ({ ...e, reason: 'no-capacity' as const })),
  }),
  defineAction({
    // The receiving organisation has done the work; the referring one may also end it.
    type: 'referral.complete',
    roles: PLANNERS,
    anyStage: true,
    routine: (ctx) => accepted(ctx).some((r) => ['done', 'skipped'].includes(ctx.status(r.stage))),
    payload: ReferralRef.strict(),
    organisations: (ctx, payload) => [...ctx.state.organisations, ...toOf(ctx, payload, accepted(ctx))],
    auditStage: (ctx, payload) => referredStage(ctx, payload),
    refuse: (ctx, payload) => named(ctx, payload.referral, ['accepted'], 'completed').refusal,
    apply(ctx, payload) {
      endReferral(ctx.state, referral(ctx.state, payload.referral)!, 'completed', ctx.now);
    },
    example: (ctx) => idOf(accepted(ctx)),
    examples: (ctx) => eachOf(accepted(ctx)),
  }),
  defineAction({
    type: 'referral.withdraw',
    roles: PLANNERS,
    anyStage: true,
    // An unanswered referral past its deadline is the referring supervisors' to decide.
    routine: (ctx) => pendingTo(ctx).some((r) => r.escalatedAt !== undefined),
    payload: ReferralRef.strict(),
    auditStage: (ctx, payload) => referredStage(ctx, payload),
    refuse: (ctx, payload) => named(ctx, payload.referral, ['pending', 'accepted'], 'withdrawn').refusal,
    apply(ctx, payload) {
      endReferral(ctx.state, referral(ctx.state, payload.referral)!, 'withdrawn', ctx.now);
    },
    example: (ctx) => idOf([...pendingTo(ctx).filter((r) => r.escalatedAt !== undefined), ...open(ctx)]),
  }),
  defineAction({
    // A supervisor gives an escalated referral more time to be answered.
    type: 'referral.extend',
    roles: SUPERVISORS,
    anyStage: true,
    routine: (ctx) => pendingTo(ctx).some((r) => r.escalatedAt !== undefined),
    payload: ReferralRef.extend({ respondWithin: ResponseTime }).strict(),
    auditStage: (ctx, payload) => referredStage(ctx, payload),
    refuse(ctx, payload) {
      const { found, refusal: refused } = named(ctx, payload.referral, ['pending'], 'extended');
      if (refused) return refused;
      return found!.escalatedAt === undefined ? refusal('not-due', `Referral ${payload.referral} has not passed its deadline yet.`, 'referral-not-overdue', { referral: payload.referral }) : undefined;
    },
    apply(ctx, payload) {
      const r = referral(ctx.state, payload.referral)!;
      r.dueAt = ctx.now + scaledMs(payload.respondWithin, ctx.input.clockScale);
      delete r.escalatedAt;
    },
    example: (ctx) => ({ ...idOf(pendingTo(ctx).filter((r) => r.escalatedAt !== undefined)), respondWithin: 'P3D' }),
  }),
];
