import { z } from 'zod';
import { ArrivedWith, OperationName, Programme, Reference, Sex } from './model.js';
import { PhaseName } from './template.js';
import { textProblem, visibleLength } from './text.js';
import { parseBirthDate } from './birth-date.js';
import { isoFromTyped, TYPED_BIRTH_DATE, TYPED_DAY } from './typed-date.js';

/** A calendar date as YYYY-MM-DD. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'must be a real calendar date')
  .refine((value) => value >= '1900-01-01', 'must be a date after 1900');

/** A date as typed, YYYY-MM-DD or DD.MM.YYYY, kept as YYYY-MM-DD. */
export const TypedDate = z
  .string()
  .regex(TYPED_DAY, 'must be a date as YYYY-MM-DD or DD.MM.YYYY')
  .transform(isoFromTyped)
  .pipe(IsoDate);

/** No arrival is recorded before it happened; a day of slack for time zones ahead of the server's. */
const ArrivalDate = TypedDate.refine(
  (value) => value <= new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  'must not be in the future',
);

/**
 * A birth date, whole or known to the month or the year only: YYYY-MM-DD, YYYY-MM, YYYY, or as
 * typed in Russian DD.MM.YYYY and MM.YYYY; kept in the ISO forms.
 */
const BirthDateText = z
  .string()
  .regex(TYPED_BIRTH_DATE, 'must be a date as YYYY-MM-DD or DD.MM.YYYY, or YYYY-MM (MM.YYYY) or YYYY when only that is known')
  .transform(isoFromTyped)
  .refine((value) => IsoDate.safeParse(parseBirthDate(value).date).success, 'must be a real calendar date after 1900');

/** A name as people write it: one line of well-formed text. */
const Name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .superRefine((value, ctx) => {
    // Its letters are kept, whatever the script; the console shows it isolated from the text around it.
    const problem = textProblem(value) ?? (visibleLength(value) === 0 ? 'must have a visible character' : undefined);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The person's record: personal data, stored in PostgreSQL only. */
export const PersonRecord = z
  .object({
    givenName: Name,
    familyName: Name,
    patronymic: Name.optional(),
    sex: Sex,
    birthDate: BirthDateText,
    /** Set when the date was estimated (a year or month alone is estimated anyway). */
    birthDateEstimated: z.boolean().optional(),
    /** Children: who they arrived with. Adults arrive as `adult` (the default for them). */
    arrivedWith: ArrivedWith.optional(),
    hasIdentityDocument: z.boolean().default(false),
    hasBirthCertificate: z.boolean().default(false),
  })
  .strict();
export type PersonRecord = z.infer<typeof PersonRecord>;

/** Where and when people arrived: one operation (and phase) of a programme. */
const Arrival = z.object({
  programme: Programme,
  /** One of the operations the programme's template declares. */
  operation: OperationName,
  phase: PhaseName.optional(),
  arrivalDate: ArrivalDate,
});

/**
 * The coordinator's word that the person is not the one of these pathways, which a check named as
 * possible duplicates (409 possible-duplicate): recorded with who gave it.
 */
const DifferentFrom = z
  .array(z.uuid().transform((id) => id.toLowerCase()))
  .max(20)
  .optional()
  .describe('Pathways a possible-duplicate answer named that are a different person, as the coordinator confirms');

/** What a coordinator sends to open one pathway. */
export const OpenPathway = Arrival.extend({ familyGroupId: Reference.optional(), person: PersonRecord, differentFrom: DifferentFrom }).strict();
export type OpenPathway = z.infer<typeof OpenPathway>;

/** The most people one cohort request opens. */
export const MAX_COHORT = 500;

/** One arrival (an operation's phase) opened at once, with family groups. */
export const OpenCohort = Arrival.extend({
  people: z
    .array(z.object({ familyGroupId: Reference.optional(), person: PersonRecord, differentFrom: DifferentFrom }).strict())
    .min(1)
    .max(MAX_COHORT, `a cohort holds at most ${MAX_COHORT} people`),
}).strict();
export type OpenCohort = z.infer<typeof OpenCohort>;
