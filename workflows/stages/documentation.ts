import { z } from 'zod';
import { iso } from './common.js';
import { guardianshipActions, guardianshipBlockers, guardianshipNotes } from './guardianship.js';
import { defineAction, RECORDERS, refusal, type Ctx, type StageModule } from './types.js';

/** The documents this person still lacks (the guardianship is guardianship.ts's). */
function needs(ctx: Ctx) {
  const { person } = ctx.input;
  return {
    identity: !person.hasIdentityDocument,
    birthCertificate: person.isChild && !person.hasBirthCertificate,
  };
}

function missing(ctx: Ctx): string[] {
  const need = needs(ctx);
  const doc = ctx.state.documentation;
  const out: string[] = [];
  if (need.identity && !doc.identityDocument) out.push('waiting for an identity document');
  if (need.birthCertificate && !doc.birthCertificateIssued) out.push('waiting for a birth certificate (DNA comparison or other evidence, then a court decision)');
  return [...out, ...guardianshipBlockers(ctx)];
}

const notNeeded = (what: string) => refusal('wrong-stage', `This person does not need ${what}.`, what === 'an identity document' ? 'identity-document-not-needed' : 'birth-certificate-not-needed');

/** Runs alongside the other stages from intake: without papers there is no school, housing or job. */
export const documentation = {
  stage: 'documentation',
  startsItself: true,
  done: (ctx) => missing(ctx).length === 0,
  waitingFor: missing,
  details(s, ctx) {
    const { guardianshipPetition: petition, birthCertificateIssued, ...doc } = s.documentation;
    // A certificate is "issued" only for a child who came without one; otherwise "No" would misinform.
    const certificate = needs(ctx).birthCertificate ? { birthCertificateIssued } : ctx.input.person.isChild ? { birthCertificateOnArrival: true } : {};
    const notes: string[] = [];
    if (doc.citizenshipBasis === 'other-evidence') notes.push('citizenship decided by a court on other evidence (no DNA match)');
    notes.push(...guardianshipNotes(s.documentation));
    return {
      ...doc,
      ...certificate,
      ...(petition ? { petitionFiledAt: iso(petition.filedAt), petitionDueAt: iso(petition.dueAt), petitionDecision: petition.decision } : {}),
      // One note as a sentence (as before), several as a list.
      ...(notes.length ? { note: notes.length === 1 ? notes[0] : notes } : {}),
    };
  },
  actions: [
    defineAction({
      type: 'documentation.record-identity-document',
      roles: RECORDERS,
      payload: z.object({ kind: z.enum(['passport', 'identity-card', 'duplicate-certificate']) }).strict(),
      refuse(ctx) {
        if (!needs(ctx).identity) return notNeeded('an identity document');
        return ctx.state.documentation.identityDocument ? refusal('wrong-stage', 'An identity document is already recorded.', 'identity-document-recorded') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.documentation.identityDocument = payload.kind;
      },
      example: (ctx) => ({ kind: ctx.person.isChild ? ('duplicate-certificate' as const) : ('identity-card' as const) }),
    }),
    defineAction({
      type: 'documentation.record-dna-result',
      roles: RECORDERS,
      // A further comparison after an inconclusive one is an exception, not the next step.
      routine: (ctx) => ctx.state.documentation.dnaResult === undefined,
      // No comparison is possible for an orphan or when the mother died or cannot be reached (004).
      payload: z
        .object({
          result: z.enum(['match', 'no-match', 'inconclusive', 'not-possible']),
          notPossibleBecause: z.enum(['mother-deceased', 'mother-unreachable', 'orphan']).optional(),
        })
        .strict()
        .refine((p) => (p.result === 'not-possible') === (p.notPossibleBecause !== undefined), {
          message: 'notPossibleBecause is given exactly when the result is not-possible',
          path: ['notPossibleBecause'],
        }),
      refuse(ctx) {
        if (!needs(ctx).birthCertificate) return notNeeded('a birth certificate');
        return ctx.state.documentation.dnaResult === 'match' ? refusal('wrong-stage', 'A matching DNA result is already recorded.', 'dna-match-recorded') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.documentation.dnaResult = payload.result;
        if (payload.notPossibleBecause) ctx.state.documentation.dnaNotPossible = payload.notPossibleBecause;
      },
      example: () => ({ result: 'match' as const }),
    }),
    defineAction({
      type: 'documentation.record-citizenship-decision',
      roles: RECORDERS,
      // Without a DNA match the court still decides, on other evidence (relatives, witnesses).
      payload: z.object({ decision: z.enum(['granted', 'refused']), basis: z.enum(['dna-match', 'other-evidence']).optional() }).strict(),
      refuse(ctx, payload) {
        const doc = ctx.state.documentation;
        if (!needs(ctx).birthCertificate) return notNeeded('a birth certificate');
        if (doc.dnaResult === undefined) {
          return refusal('missing-prerequisite', 'The court decides on citizenship after a DNA comparison, or after one is recorded as not possible: record the DNA result first.', 'dna-result-first');
        }
        if (doc.dnaResult !== 'match' && payload.basis !== 'other-evidence') {
          return refusal('invalid-data', 'There is no DNA match: the court decides on other evidence (basis: other-evidence).', 'no-dna-match');
        }
        return doc.citizenshipDecision === 'granted' ? refusal('wrong-stage', 'Citizenship is already granted.', 'citizenship-granted') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.documentation.citizenshipDecision = payload.decision;
        ctx.state.documentation.citizenshipBasis = payload.basis ?? 'dna-match';
      },
      example: (ctx) => ({ decision: 'granted' as const, basis: ctx.state.documentation.dnaResult === 'match' || ctx.state.documentation.dnaResult === undefined ? ('dna-match' as const) : ('other-evidence' as const) }),
    }),
    defineAction({
      type: 'documentation.record-birth-certificate',
      roles: RECORDERS,
      payload: z.object({}).strict(),
      refuse(ctx) {
        const doc = ctx.state.documentation;
        if (!needs(ctx).birthCertificate) return notNeeded('a birth certificate');
        if (doc.birthCertificateIssued) return refusal('wrong-stage', 'The birth certificate is already recorded.', 'birth-certificate-recorded');
        if (doc.dnaResult === undefined) return refusal('missing-prerequisite', 'A birth certificate needs a DNA result (or one recorded as not possible) first.', 'birth-certificate-needs-dna');
        if (doc.citizenshipDecision !== 'granted') return refusal('missing-prerequisite', 'A birth certificate needs the court decision granting citizenship first.', 'birth-certificate-needs-citizenship');
        return undefined;
      },
      apply(ctx) {
        ctx.state.documentation.birthCertificateIssued = true;
      },
      example: () => ({}),
    }),
    ...guardianshipActions,
  ],
} satisfies StageModule;
