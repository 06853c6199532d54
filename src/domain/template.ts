import { z } from 'zod';
import { durationSeconds, isIsoDuration } from './duration.js';
import { Audience, OperationName, PlacementOption, Programme, STAGE_CATALOGUE, StageName, STAGES } from './model.js';

export { Audience };

const Duration = z.string().refine(isIsoDuration, 'must be an ISO 8601 duration such as P30D, P6M or P1Y');

/** A seed and what it says ("004: Kazakhstan, one month at Aktau"), or an assumption with its reason. */
export const Source = z.string().regex(/^(0\d\d: |assumption: ).{8,}$/, 'must name a seed ("004: what it says") or start with "assumption: " and a reason');

/** The stages a template configures: all but intake and closure, which every pathway has. */
type ConfigurableStage = Exclude<StageName, 'intake' | 'closure'>;
const ConfigurableStage = z.enum(STAGES.filter((s) => s !== 'intake' && s !== 'closure') as [ConfigurableStage, ...ConfigurableStage[]]);
const audiencesOf = (stage: ConfigurableStage): readonly Audience[] => STAGE_CATALOGUE[stage].audiences;

/** One stage of a programme: when it starts and how long it should take. */
export const StageTemplate = z
  .object({
    stage: ConfigurableStage,
    appliesTo: Audience.optional(),
    /** Stages that must be done (or skipped) before this one can start. */
    after: z.array(StageName).default([]),
    /** The stage cannot end before this much time has passed since it started. */
    minimum: Duration.optional(),
    /** The stage is overdue when not done this long after it became ready. */
    target: Duration.optional(),
    /** A stage with a target: how long before its due date the people responsible are reminded (else the template's). */
    remindBefore: Duration.optional(),
    /** A stage with a target: how long after it became overdue its supervisors are told (else the template's). */
    escalateAfter: Duration.optional(),
    /** Where the stage takes place, for people reading the pathway. */
    setting: z.string().min(1).max(200).optional(),
    /** Placement only: the options this programme offers. */
    options: z.array(PlacementOption).min(1).optional(),
    /** Follow-up only: how long it lasts and how often someone checks in. */
    duration: Duration.optional(),
    checkInInterval: Duration.optional(),
    /** Follow-up only: the shortest and longest length a person's follow-up may be given (by need). */
    durationRange: z.tuple([Duration, Duration]).optional(),
    /**
     * Where the stage's durations come from: "004: what the seed says" or "assumption: why".
     * Required for every stage that has a duration.
     */
    source: Source.optional(),
  })
  .strict();
export type StageTemplate = z.infer<typeof StageTemplate>;

/** A phase of an operation, as the programme numbers them ("1" to "5" for Zhusan). */
export const PhaseName = z.string().regex(/^[1-9][0-9]?$/, 'must be a phase number such as 1');

/** One operation (repatriation) of a programme: pathways can be opened for these only. */
export const OperationTemplate = z
  .object({
    name: OperationName,
    /** The phases it arrived in; none when it arrived at once. */
    phases: z.array(PhaseName).min(1).optional(),
  })
  .strict();

/** When a stage's people hear of its due date, and when its supervisors hear that it is still overdue. */
export const Reminders = z.object({ remindBefore: Duration, escalateAfter: Duration }).strict();
export type Reminders = z.infer<typeof Reminders>;

/** A programme's pathway, as data. Pathways keep the version they started with. */
export const Template = z
  .object({
    programme: Programme,
    version: z.number().int().min(1),
    name: z.string().min(1).max(200),
    /** Children-only programmes refuse adult pathways. */
    population: z.enum(['everyone', 'children']),
    /** Ages on arrival (whole years, inclusive) the programme takes, with where that comes from. */
    ageRange: z.object({ min: z.number().int().min(0), max: z.number().int().max(120), source: Source }).strict().optional(),
    /** The operations a coordinator may name when opening a pathway: operation names are never free text. */
    operations: z.array(OperationTemplate).min(1),
    stages: z.array(StageTemplate).min(1),
    /** The reminders of every stage with a target, unless the stage names its own. */
    reminders: Reminders.optional(),
  })
  .strict()
  .superRefine((template, ctx) => {
    const seen = new Set<string>();
    template.stages.forEach((stage, i) => {
      const at = (field: string) => ['stages', i, field];
      if (seen.has(stage.stage)) ctx.addIssue({ code: 'custom', path: at('stage'), message: `${stage.stage} appears twice` });
      for (const before of stage.after) {
        if (!seen.has(before)) {
          ctx.addIssue({ code: 'custom', path: at('after'), message: `${before} must be listed before ${stage.stage}` });
        }
      }
      seen.add(stage.stage);
      const audiences = audiencesOf(stage.stage);
      if (stage.appliesTo && !audiences.includes(stage.appliesTo)) {
        ctx.addIssue({ code: 'custom', path: at('appliesTo'), message: `${stage.stage} can apply to ${audiences.join(' or ')} only` });
      }
      const needs = (field: keyof StageTemplate, wanted: boolean) => {
        if ((stage[field] !== undefined) !== wanted) {
          ctx.addIssue({ code: 'custom', path: at(field), message: wanted ? `required for ${stage.stage}` : `not used by ${stage.stage}` });
        }
      };
      needs('options', stage.stage === 'placement');
      needs('duration', stage.stage === 'followUp');
      needs('checkInInterval', stage.stage === 'followUp');
      if (stage.durationRange !== undefined) needs('durationRange', stage.stage === 'followUp');
      const timed = stage.minimum ?? stage.target ?? stage.duration ?? stage.checkInInterval;
      if (timed !== undefined && stage.source === undefined) {
        ctx.addIssue({ code: 'custom', path: at('source'), message: `required: say where ${timed} comes from ("004: …" or "assumption: …")` });
      }
      needs('target', STAGE_CATALOGUE[stage.stage].target);
      if (stage.remindBefore !== undefined) needs('remindBefore', stage.target !== undefined);
      if (stage.escalateAfter !== undefined) needs('escalateAfter', stage.target !== undefined);
      // A reminder as early as the stage's start would only repeat that the stage began.
      const remindBefore = stage.remindBefore ?? template.reminders?.remindBefore;
      if (stage.target && remindBefore && [remindBefore, stage.target].every(isIsoDuration) && durationSeconds(remindBefore) >= durationSeconds(stage.target)) {
        ctx.addIssue({ code: 'custom', path: at('remindBefore'), message: `must be shorter than the target (${stage.target})` });
      }
      if (stage.minimum !== undefined) needs('minimum', stage.stage === 'quarantine' || stage.stage === 'psychosocial');
    });
    const required: ConfigurableStage[] = ['quarantine', 'medical', 'psychosocial', 'documentation', 'placement', 'education'];
    if (template.population === 'everyone') required.push('security', 'livelihood');
    for (const stage of required) {
      if (!seen.has(stage)) ctx.addIssue({ code: 'custom', path: ['stages'], message: `must include ${stage}` });
    }
  });
export type Template = z.infer<typeof Template>;

export function audienceOf(stage: StageTemplate): Audience {
  return stage.appliesTo ?? audiencesOf(stage.stage)[0]!;
}
