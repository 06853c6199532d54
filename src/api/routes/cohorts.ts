import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordListAccess } from '../../db/access-log.js';
import { shownPeople } from '../../db/listing.js';
import { MAX_COHORT, OpenCohort, OpenPathway } from '../../domain/open.js';
import { ShownPerson } from '../../domain/person-shown.js';
import { validationError, type AppError } from '../../errors.js';
import { openingProblems, openPathways, type OpenDeps } from '../../pathways/open.js';
import type { AppDeps } from '../deps.js';
import { validationFields } from '../problems.js';
import { IdempotencyHeaders, OversightTold, withProblems } from '../schemas.js';
import { checkDuplicates, refuseDuplicates } from '../../pathways/duplicates.js';
import { cohortFileRoutes } from './cohort-file.js';

const CohortResponse = z.object({
  pathways: z.array(
    z.object({
      index: z.number(),
      id: z.string(),
      familyGroupId: z.string().optional(),
      oversightTold: OversightTold,
      person: ShownPerson.describe('Who it was opened for, as lists show them (the access log records it: what list)'),
    }),
  ),
});

const CohortPreview = z.object({
  valid: z.literal(true),
  people: z.number().int().describe('How many pathways the same request without dryRun would open'),
});

/**
 * A query parameter rather than `Prefer`: a server may ignore a preference it does not know and
 * open the cohort, while an unknown or misspelt parameter is refused here.
 */
const CohortQuery = z
  .object({
    dryRun: z
      .enum(['true', 'false'])
      .optional()
      .describe(
        'true: run every check opening runs and answer 200 { valid: true, people }, the same 400 problem with every row at fault, or the same 409 possible-duplicate naming each row that may be a person with a pathway already; ' +
          'opens nothing, and the Idempotency-Key is neither checked nor used',
      ),
  })
  .strict();

/**
 * The schema refusing some rows stops the request before the checks between fields, so those
 * run here on the rows it accepts: one answer names every row at fault, as a preview needs.
 */
function everyRowAtFault(error: FastifyError, body: unknown, templates: OpenDeps['templates']): FastifyError | AppError {
  if (error.validationContext !== 'body' || !error.validation) return error;
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(body)) return error;
  const { people, ...arrival } = body;
  const rows = Array.isArray(people) ? people.slice(0, MAX_COHORT) : [];
  const accepted = rows.flatMap((entry, index) => {
    const parsed = isObject(entry) ? OpenPathway.safeParse({ ...arrival, ...entry }) : undefined;
    return parsed?.success ? [{ request: parsed.data, fieldPrefix: `body.people.${index}.` }] : [];
  });
  return validationError([...validationFields(error, body), ...openingProblems(templates, accepted)]);
}

export const cohortRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  await app.register(cohortFileRoutes, deps);
  app.post(
    '/v1/cohorts',
    {
      config: { roles: ['coordinator'] },
      // Handled below, so the rows the schema accepts are checked too.
      attachValidation: true,
      schema: {
        summary: "Open the pathways of one arrival (an operation's phase) at once, with family groups",
        description: 'With ?dryRun=true, a preview: every row is validated as opening would, and nothing is opened.',
        tags: ['pathways'],
        headers: IdempotencyHeaders,
        querystring: CohortQuery,
        body: OpenCohort,
        response: withProblems({ 200: z.union([CohortResponse, CohortPreview]), 201: CohortResponse }, 403, 409, 503),
      },
    },
    async (request, reply) => {
      if (request.validationError) throw everyRowAtFault(request.validationError as FastifyError, request.body, deps.templates);
      const { people, ...arrival } = request.body;
      const requests = people.map((entry, index) => ({ request: { ...arrival, ...entry }, fieldPrefix: `body.people.${index}.` }));
      if (request.query.dryRun === 'true') {
        const problems = openingProblems(deps.templates, requests);
        if (problems.length) throw validationError(problems);
        // The preview names the rows that may be people the organisation has a pathway for already.
        const verdict = await checkDuplicates(deps.pool, request.actor, requests);
        if (verdict.blocking.length) await refuseDuplicates(deps.pool, request.actor, verdict, request.id, true);
        return reply.status(200).send({ valid: true, people: people.length });
      }
      const opened = await openPathways(deps, request.actor, requests, {
        idempotencyKey: request.headers['idempotency-key'],
        requestId: request.id,
        cohort: true,
      });
      const ids = opened.map(({ id }) => id);
      const persons = await shownPeople(deps.pool, ids);
      // The answer names every person opened: a list read, logged like one (one row per pathway).
      await recordListAccess(deps.pool, { pathways: ids.map((id) => ({ id, via: 'organisation' as const })), actor: request.actor, what: 'list', requestId: request.id });
      const pathways = opened.map(({ id }, index) => ({ index, id, familyGroupId: people[index]!.familyGroupId, person: persons.get(id)!, ...(opened[index]!.oversightTold ? { oversightTold: true as const } : {}) }));
      return reply.status(opened.some((p) => p.created) ? 201 : 200).send({ pathways });
    },
  );
};
