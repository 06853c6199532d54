import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OpenCohort } from '../../domain/open.js';
import { openPathways } from '../../pathways/open.js';
import type { AppDeps } from '../app.js';
import { IdempotencyHeaders, withProblems } from '../schemas.js';

const CohortResponse = z.object({
  pathways: z.array(z.object({ index: z.number(), id: z.string(), familyGroupId: z.string().optional() })),
});

export const cohortRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/v1/cohorts',
    {
      config: { roles: ['coordinator'] },
      schema: {
        summary: "Open the pathways of one arrival (an operation's phase) at once, with family groups",
        tags: ['pathways'],
        headers: IdempotencyHeaders,
        body: OpenCohort,
        response: withProblems({ 200: CohortResponse, 201: CohortResponse }, 403, 409, 503),
      },
    },
    async (request, reply) => {
      const { people, ...arrival } = request.body;
      const requests = people.map((entry, index) => ({ request: { ...arrival, ...entry }, fieldPrefix: `body.people.${index}.` }));
      const opened = await openPathways(deps, request.actor, requests, {
        idempotencyKey: request.headers['idempotency-key'],
        requestId: request.id,
      });
      const pathways = opened.map(({ id }, index) => ({ index, id, familyGroupId: people[index]!.familyGroupId }));
      return reply.status(opened.some((p) => p.created) ? 201 : 200).send({ pathways });
    },
  );
};
