import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FamilyGroup, familyGroup } from '../../pathways/family.js';
import type { AppDeps } from '../deps.js';
import { PathwayParams, withProblems } from '../schemas.js';

export const familyRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/pathways/:id/family',
    {
      // Shown like the trail, to the pathway's own organisations and oversight (src/pathways/family.ts).
      config: { roles: ['coordinator', 'staff', 'supervisor'], pathwayAccess: 'audit' },
      schema: {
        summary: "The pathway's family group: its members the caller may read, with their stage and placement",
        description:
          'A group is its id within the organisation and arrival (programme, operation, phase, date) that opened it, so any ' +
          "member's pathway id names the whole group. Members the caller may not read are counted, not shown; each member shown is access-logged.",
        tags: ['pathways'],
        params: PathwayParams,
        response: withProblems({ 200: FamilyGroup }, 403, 404),
      },
    },
    async (request) => familyGroup(deps, request.actor, request.params.id, request.id),
  );
};
