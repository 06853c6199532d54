import { z } from 'zod';
import { ACCESS_KINDS } from '../db/access-log.js';
import { FIELD_ERROR_CODES } from '../domain/problem-codes.js';
import { REFUSAL_CODES } from '../domain/refusal-codes.js';
import { ERRORS } from '../errors.js';
import { OperationName, PathwayStatus, Programme, Reference, StageName } from '../domain/model.js';
import { IsoDate } from '../domain/open.js';
import { PhaseName } from '../domain/template.js';
import { PathwayView } from '../domain/pathway.js';
import { ShownPerson } from '../domain/person-shown.js';
import { freeTextProblem, textProblem } from '../domain/text.js';
import { PossibleDuplicate } from '../pathways/duplicates.js';
import { ACTIONS, type ActionType, type PayloadOf } from '../../workflows/stages/index.js';

/** Free text a person writes for others to read (notes, justifications): see `freeTextProblem`. */
export function FreeText(min: number, max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .superRefine((value, ctx) => {
      const problem = freeTextProblem(value, min) ?? textProblem(value, { multiline: true });
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** Every code an `errors[]` entry can carry: a field's fault, a refusal's own code, or the problem's code. */
export const PROBLEM_ERROR_CODES = [...new Set<string>([...FIELD_ERROR_CODES, ...REFUSAL_CODES, ...Object.keys(ERRORS)])].sort();

/** One fault of a problem, for a client to tell in its user's language. */
export const ProblemError = z
  .object({
    pointer: z.string().describe('RFC 6901 JSON pointer into the request body (`/person/birthDate`, `/payload/reason`, `/people/3/person/sex`); "" for the whole request'),
    in: z.enum(['querystring', 'params', 'headers']).optional().describe('Set when the pointer is into the query string, the path or the headers instead of the body'),
    // Documented as the closed catalogue; a client meeting a code it does not know shows `detail`.
    code: z
      .string()
      .meta({ enum: PROBLEM_ERROR_CODES })
      .describe('Stable code from one closed catalogue: a field fault (required, too-long, not-one-of…), a refusal (screening-already-cleared…), or the problem code'),
    params: z
      .record(z.string(), z.unknown())
      .describe('Values the message names: min, max, options, stage, date, programme, counts…'),
  })
  .meta({ id: 'ProblemError' });

/** RFC 9457 problem details, as every error is answered. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable machine-readable error code'),
    requestId: z.string(),
    errors: z.array(ProblemError).describe('Each fault, by where, what and with which values: what a client translates; `detail` is English for API users'),
    reason: z.string().optional().describe('For a refused action: why the pathway refused it; for an unreadable file: what kind of file it is'),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('For invalid input: each field at fault'),
    actionId: z.string().optional().describe('For an action that timed out: resend it with this id and it is applied at most once'),
    duplicates: z
      .array(PossibleDuplicate)
      .optional()
      .describe('For possible-duplicate: the pathways of your organisation this person (or each row) may already have'),
  })
  .meta({ id: 'Problem' });

/** Set when a match was found in another organisation: it is not named, and oversight was told. */
export const OversightTold = z
  .literal(true)
  .optional()
  .describe('The person may already have a pathway in another organisation: it is not named to you; the oversight organisation was told and will look');

/** Error answers a route documents, each with the Problem body. */
export function withProblems<T extends Record<number, z.ZodType>>(success: T, ...statuses: number[]) {
  return { ...success, ...Object.fromEntries([400, 401, 429, ...statuses].map((status) => [status, Problem])) } as T;
}

export const PersonRecordView = z.object({
  givenName: z.string(),
  familyName: z.string(),
  patronymic: z.string().optional(),
  birthDate: z.string().describe('As known: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known'),
  birthDateEstimated: z.boolean().describe('The birth date is estimated'),
  nameHidden: z.boolean().describe('A supervisor hid the name: lists show initials, only this page the full name'),
});

export const PathwayState = PathwayView.extend({ record: PersonRecordView.describe("The person's record, from PostgreSQL") }).meta({ id: 'PathwayState' });

/** RFC 7240: `return=minimal` answers without the new state, saving its read (and its access-log row). */
const PreferHeader = z.string().optional().describe('return=minimal: answer without the state (it is then neither read nor logged as read)');

/** Whether the caller asked for the answer without the state (other preferences are ignored). */
export function wantsMinimal(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((preference) => {
    const [token] = preference.split(';');
    const [name, value] = (token ?? '').split('=').map((part) => part.trim().toLowerCase().replace(/^"(.*)"$/, '$1'));
    return name === 'return' && value === 'minimal';
  });
}

export const PreferHeaders = z.looseObject({ prefer: PreferHeader });

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1-100 letters, digits or ._:-')
    .optional()
    .describe('Retrying a request with the same key returns the first answer and opens nothing twice'),
});

export const OpenHeaders = IdempotencyHeaders.extend({ prefer: PreferHeader });

/** Pathway ids are UUIDs, compared in lower case wherever they come from. */
export const PathwayId = z
  .string()
  .max(36)
  .transform((id) => id.toLowerCase())
  .pipe(z.uuid())
  .describe('The pathway id (a UUID)');

export const PathwayParams = z.object({ id: PathwayId });

/** One variant per action type: the OpenAPI document lists every payload. */
export const ActionRequest = z
  .discriminatedUnion(
    'type',
    [...ACTIONS.values()].map(({ definition }) =>
      z
        .object({
          type: z.literal(definition.type),
          // Actions without required data may leave the payload out.
          payload: definition.payload.safeParse({}).success ? definition.payload.optional() : definition.payload,
          note: FreeText(1, 4000).optional().describe('Free text for the audit trail; stored in PostgreSQL only'),
          actionId: z
            .string()
            .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
            .optional()
            .describe('Client-chosen id: the same id sent twice is applied once'),
        })
        .strict(),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ id: 'ActionRequest' });
/** What the route accepts, one variant per action type, with the payload type of its schema. */
export type ActionRequest = {
  [T in ActionType]: { type: T; payload?: PayloadOf<T>; note?: string; actionId?: string };
}[ActionType];

export const ActionResponse = z.object({
  actionId: z.string(),
  applied: z.boolean().describe('False when this action id had already been applied'),
  version: z.number(),
  state: PathwayView.optional().describe('The new state (absent with Prefer: return=minimal, or if the pathway could not be read back in time)'),
});

export const ListQuery = z
  .object({
    programme: Programme.optional(),
    operation: OperationName.optional(),
    stage: StageName.optional(),
    status: PathwayStatus.optional(),
    overdue: z.enum(['true', 'false']).optional(),
    // A cohort found again: its arrival's phase and date, and one family group of it.
    phase: PhaseName.optional(),
    arrivalDate: IsoDate.optional(),
    familyGroup: Reference.optional().describe("A family group's id: the groups of that id in every arrival the caller sees; add operation, phase and arrivalDate for one"),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const ListedPathway = z.object({
  id: z.string(),
  programme: Programme,
  operation: z.string(),
  phase: z.string().nullable(),
  arrivalDate: z.string(),
  familyGroupId: z.string().nullable(),
  sex: z.string(),
  ageBand: z.string(),
  isChild: z.boolean(),
  status: PathwayStatus,
  currentStage: StageName,
  overdue: z.boolean(),
  openedAt: z.string(),
  updatedAt: z.string(),
  person: ShownPerson.describe('Who it is for: initials when the name is hidden'),
});

export const HistoryEntry = z.object({
  seq: z.number(),
  kind: z.enum(['action', 'event']),
  type: z.string(),
  stage: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  actor: z.object({ id: z.string(), role: z.string(), org: z.string() }).nullable(),
  actionId: z.string().nullable(),
  requestId: z.string().nullable(),
  outcome: z.record(z.string(), z.unknown()),
  note: z.string().nullable(),
  correctedBy: z.number().nullable().describe('The seq of the correction that replaced what this entry recorded'),
});

export const History = z.object({
  pathwayId: z.string(),
  person: ShownPerson.describe('Who the pathway is for: initials when the name is hidden'),
  chain: z
    .object({
      verified: z.boolean(),
      firstBroken: z.object({ seq: z.number(), reason: z.enum(['missing', 'altered', 'unlinked']) }).optional(),
    })
    .describe('Whether the hash chain of the entries verifies, and if not the first entry that breaks it'),
  incident: z
    .object({ sqlState: z.string(), firstUnwrittenSeq: z.number(), since: z.string() })
    .optional()
    .describe('PostgreSQL refuses to store entries of this pathway from firstUnwrittenSeq on: the trail ends before what the pathway did'),
  entries: z.array(HistoryEntry),
});

export const AccessLog = z.object({
  pathwayId: z.string(),
  entries: z.array(
    z.object({
      at: z.string(),
      actorId: z.string(),
      actorRole: z.string(),
      actorOrg: z.string(),
      what: z.enum(ACCESS_KINDS),
      requestId: z.string().nullable(),
      via: z
        .enum(['organisation', 'oversight', 'referral', 'transfer', 'emergency'])
        .nullable()
        .describe('How the reader came to see it (null before this was recorded); emergency reads name their grant'),
      emergencyAccessId: z.string().nullable(),
    }),
  ),
  previousCursor: z.string().nullable().describe('The cursor of the page before this one; null on the first page'),
  nextCursor: z.string().nullable().describe('The cursor of the next page; null on the last page'),
});

export const ReadQuery = z
  .object({
    minVersion: z.coerce
      .number()
      .int()
      .min(1)
      .max(2_147_483_647)
      .optional()
      .describe("The version of an action's answer: the state is at least that one, once the pathway has it (read your own write)"),
  })
  .strict();

export const AccessLogQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100).describe('Entries a page, oldest first'),
    cursor: z.string().max(200).optional().describe('previousCursor or nextCursor of a page'),
  })
  .strict();
