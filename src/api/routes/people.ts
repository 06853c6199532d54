import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OperationName, PathwayStatus, Programme, Reference, StageName } from '../../domain/model.js';
import { ShownPerson } from '../../domain/person-shown.js';
import { findPeople } from '../../pathways/search.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

const thisYear = () => new Date().getUTCFullYear();

export const PeopleQuery = z
  .object({
    q: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .optional()
      .describe('Any part of a name in any script (each word must match the given name, family name or patronymic), or a pathway id'),
    familyGroup: Reference.optional(),
    birthYear: z.coerce
      .number()
      .int()
      .min(1900)
      .refine((year) => year <= thisYear(), 'must not be in the future')
      .optional(),
    operation: OperationName.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

const MatchedField = z.enum(['id', 'givenName', 'familyName', 'patronymic', 'familyGroup', 'birthYear', 'operation']);
const MatchKind = z
  .enum(['exact', 'variant', 'partial', 'similar'])
  .describe('exact: spelt the same (in Latin letters); variant: another spelling or script of the same name; partial: the name begins with it; similar: one or two letters differ');

export const FoundPerson = z.object({
  pathwayId: z.string(),
  person: ShownPerson,
  programme: Programme,
  operation: z.string(),
  phase: z.string().nullable(),
  arrivalDate: z.string(),
  familyGroupId: z.string().nullable(),
  status: PathwayStatus,
  currentStage: StageName,
  why: z.array(z.object({ field: MatchedField, how: MatchKind })).describe('What matched, one entry per query word or filter'),
});

export const peopleRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/people',
    {
      config: { roles: ['coordinator', 'staff', 'supervisor'] },
      schema: {
        summary: 'Find people by name (any script, variant spellings, a letter or two wrong), id, family group, birth year or operation',
        description:
          "Best matches first, within the caller's organisation (the oversight organisation's supervisors: all). " +
          'A hidden name shows as initials and is found by name only when the query is the exact full name. ' +
          'Each pathway shown is written to its access log (what: search); the search is recorded without what was searched for.',
        tags: ['people'],
        querystring: PeopleQuery,
        response: withProblems({ 200: z.object({ items: z.array(FoundPerson), nextCursor: z.string().nullable() }) }, 403),
      },
    },
    async (request) => findPeople(deps, request.actor, request.query, request.id),
  );
};
