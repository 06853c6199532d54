import { z } from 'zod';

/** Who may do what: each action names the roles allowed to send it. */
export const Role = z.enum(['coordinator', 'staff', 'supervisor']);
export type Role = z.infer<typeof Role>;

/** The person sending an action, from the verified token. */
export const Actor = z.object({
  id: z.string().min(1).max(200),
  role: Role,
  org: z.string().min(1).max(100),
});
export type Actor = z.infer<typeof Actor>;

/** An organisation's id, as tokens carry it in `org`. */
export const Organisation = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be an organisation id');

/** A programme code; each has a template file in config/pathways (KZ, UZ, KG, TJ today). */
export const Programme = z.string().regex(/^[A-Z]{2,8}$/, 'must be a programme code such as KZ');
export type Programme = z.infer<typeof Programme>;

export const Sex = z.enum(['female', 'male']);
export type Sex = z.infer<typeof Sex>;

/** Age at arrival, in bands: a category, never the date of birth. */
export const AgeBand = z.enum(['0-2', '3-5', '6-11', '12-17', '18-59', '60+']);
export type AgeBand = z.infer<typeof AgeBand>;

/** Who a child arrived with (domain: intake). Adults arrive as `adult`. */
export const ArrivedWith = z.enum(['mother', 'siblings', 'unaccompanied', 'orphan', 'adult']);
export type ArrivedWith = z.infer<typeof ArrivedWith>;

/** Who a stage applies to. */
export const Audience = z.enum(['everyone', 'children', 'adults']);
export type Audience = z.infer<typeof Audience>;

const ALL: Audience[] = ['everyone', 'children', 'adults'];

/**
 * Every kind of stage, in the order a pathway shows them: whom it can apply to (the first is the
 * default) and whether a template gives it a target duration. A new kind of stage is an entry
 * here, its module under workflows/stages/, and its template entries.
 */
export const STAGE_CATALOGUE = {
  intake: { audiences: ALL, target: false },
  quarantine: { audiences: ALL, target: true },
  medical: { audiences: ALL, target: true },
  security: { audiences: ['adults'], target: true },
  psychosocial: { audiences: ALL, target: true },
  documentation: { audiences: ALL, target: true },
  placement: { audiences: ['children'], target: true },
  education: { audiences: ['children'], target: true },
  livelihood: { audiences: ['adults'], target: true },
  followUp: { audiences: ALL, target: false },
  care: { audiences: ALL, target: false },
  closure: { audiences: ALL, target: false },
} as const satisfies Record<string, { audiences: readonly Audience[]; target: boolean }>;

export const STAGES = Object.keys(STAGE_CATALOGUE) as [keyof typeof STAGE_CATALOGUE, ...(keyof typeof STAGE_CATALOGUE)[]];
export const StageName = z.enum(STAGES);
export type StageName = z.infer<typeof StageName>;

export const StageStatus = z.enum(['blocked', 'ready', 'active', 'done', 'skipped']);
export type StageStatus = z.infer<typeof StageStatus>;

export const PlacementOption = z.enum(['mother', 'kinship', 'foster', 'residential']);
export type PlacementOption = z.infer<typeof PlacementOption>;

/** `duplicate`: the same person has another pathway, which stays (`duplicateOf`). */
export const ClosureReason = z.enum(['completed', 'transferred', 'withdrawn', 'deceased', 'duplicate']);
export type ClosureReason = z.infer<typeof ClosureReason>;

export const PathwayStatus = z.enum(['active', 'legal-proceedings', 'closed']);
export type PathwayStatus = z.infer<typeof PathwayStatus>;

/** An operation's name as a programme template declares it (Zhusan, Mehr): never free text. */
export const OperationName = z.string().regex(/^[A-Z][A-Za-z0-9]{1,39}$/, 'must be an operation name such as Zhusan');

/** An opaque reference to a record kept in PostgreSQL (a household, a school). */
export const Reference = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id of letters, digits, dash or underscore');

/** The categories of a person that pathways may carry: no name, no date of birth. */
export const PersonCategories = z.object({
  sex: Sex,
  ageBand: AgeBand,
  isChild: z.boolean(),
  arrivedWith: ArrivedWith,
  hasIdentityDocument: z.boolean(),
  hasBirthCertificate: z.boolean(),
  /** The birth date is a year or a month only, or otherwise estimated. */
  birthDateEstimated: z.boolean().optional(),
  /** Born during quarantine, to a mother on a pathway. */
  bornAfterArrival: z.boolean().optional(),
});
export type PersonCategories = z.infer<typeof PersonCategories>;

export function ageBandOf(ageYears: number): AgeBand {
  if (ageYears < 3) return '0-2';
  if (ageYears < 6) return '3-5';
  if (ageYears < 12) return '6-11';
  if (ageYears < 18) return '12-17';
  return ageYears < 60 ? '18-59' : '60+';
}

/** Whole years between two YYYY-MM-DD dates. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function workflowIdOf(pathwayId: string): string {
  return `pathway-${pathwayId}`;
}
