import { z } from 'zod';
import { Reference } from '../../src/domain/model.js';
import { defineAction, RECORDERS, refusal, type Ctx, type StageModule } from './types.js';

const Level = z.enum(['pre-school', 'primary', 'lower-secondary', 'upper-secondary']);
type Level = z.infer<typeof Level>;

// The learning level does not match the age: the assessment, not the age, decides the institution.
const institutionFor = (ctx: Ctx): 'kindergarten' | 'school' =>
  (ctx.state.education.level ?? defaultLevel(ctx).level) === 'pre-school' ? 'kindergarten' : 'school';

function defaultLevel(ctx: Ctx): { level: Level; grade: number } {
  const byAge: Record<string, { level: Level; grade: number }> = {
    '3-5': { level: 'pre-school', grade: 0 },
    '6-11': { level: 'primary', grade: 1 },
    '12-17': { level: 'lower-secondary', grade: 5 },
  };
  return byAge[ctx.person.ageBand] ?? byAge['6-11']!;
}

/** An assessment decides the grade; enrolment near the placement follows a completed placement. */
export const education = {
  stage: 'education',
  // Babies and toddlers have no school stage; pre-school starts at three, on the day the child turns three.
  applies: (ctx) => ctx.person.isChild && ctx.person.ageBand !== '0-2',
  done: (ctx) => ctx.state.education.enrolledIn !== undefined,
  waitingFor(ctx) {
    const waits: string[] = [];
    if (ctx.state.education.level === undefined) waits.push('no educational assessment (level and grade)');
    if (ctx.status('placement') !== 'done') waits.push('placement is not completed');
    return waits.length ? waits : ['not enrolled yet'];
  },
  details: (s) => ({ ...s.education }),
  actions: [
    defineAction({
      type: 'education.record-assessment',
      roles: RECORDERS,
      payload: z.object({ level: Level, grade: z.number().int().min(0).max(11), tutoring: z.boolean() }).strict(),
      refuse(ctx, payload) {
        if (ctx.state.education.level !== undefined) return refusal('wrong-stage', 'The educational assessment is already recorded.', 'educational-assessment-recorded');
        if (payload.level === 'pre-school' && payload.grade !== 0) return refusal('invalid-data', 'Pre-school has no grade: send grade 0.', 'pre-school-grade-zero');
        return undefined;
      },
      apply(ctx, payload) {
        Object.assign(ctx.state.education, payload);
      },
      example: (ctx) => ({ ...defaultLevel(ctx), tutoring: true }),
    }),
    defineAction({
      type: 'education.enrol',
      roles: RECORDERS,
      payload: z
        .object({ institution: z.enum(['school', 'kindergarten']), schoolId: Reference, grade: z.number().int().min(0).max(11), bullyingPrevention: z.boolean() })
        .strict(),
      refuse(ctx, payload) {
        const { level, grade } = ctx.state.education;
        if (level === undefined) return refusal('missing-prerequisite', 'Enrolment needs an educational assessment (level and grade) first.', 'educational-assessment-first');
        if (ctx.status('placement') !== 'done') {
          return refusal('missing-prerequisite', 'Enrolment needs a completed placement first: the school is chosen near the placement.', 'placement-first');
        }
        if (payload.institution !== institutionFor(ctx)) return refusal('invalid-data', `This child is enrolled in a ${institutionFor(ctx)}.`, 'wrong-institution', { institution: institutionFor(ctx) });
        if (payload.grade !== grade) return refusal('invalid-data', `The assessment placed the child in grade ${grade}.`, 'wrong-grade', { grade: grade ?? 0 });
        return undefined;
      },
      apply(ctx, payload) {
        ctx.state.education.enrolledIn = payload.institution;
        ctx.state.education.schoolId = payload.schoolId;
      },
      example: (ctx) => ({
        institution: institutionFor(ctx),
        schoolId: `${institutionFor(ctx)}-near-${ctx.state.placement.householdId ?? 'placement'}`.slice(0, 64),
        grade: ctx.state.education.grade ?? 0,
        bullyingPrevention: true,
      }),
    }),
  ],
} satisfies StageModule;
