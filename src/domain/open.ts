import { z } from 'zod';
import { ArrivedWith, Programme, Reference, Sex } from './model.js';

/** A calendar date as YYYY-MM-DD. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'must be a real calendar date');

const Name = z.string().trim().min(1, 'must not be empty').max(100);

/** The person's record: personal data, stored in PostgreSQL only. */
export const PersonRecord = z
  .object({
    givenName: Name,
    familyName: Name,
    patronymic: Name.optional(),
    sex: Sex,
    birthDate: IsoDate,
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
  operation: z.string().trim().min(1).max(100),
  phase: z.string().trim().min(1).max(50).optional(),
  arrivalDate: IsoDate,
});

/** What a coordinator sends to open one pathway. */
export const OpenPathway = Arrival.extend({ familyGroupId: Reference.optional(), person: PersonRecord }).strict();
export type OpenPathway = z.infer<typeof OpenPathway>;

/** One arrival (an operation's phase) opened at once, with family groups. */
export const OpenCohort = Arrival.extend({
  people: z
    .array(z.object({ familyGroupId: Reference.optional(), person: PersonRecord }).strict())
    .min(1)
    .max(500, 'a cohort holds at most 500 people'),
}).strict();
export type OpenCohort = z.infer<typeof OpenCohort>;
