import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OrganisationKind } from '../../../config/directory.js';
import { peopleSeen } from '../../db/people-seen.js';
import { Role } from '../../domain/model.js';
import { AppError } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

export const OrganisationView = z
  .object({
    id: z.string(),
    kind: OrganisationKind,
    names: z.record(z.string(), z.string()).describe('Its name in each console language (en at least)'),
    programmes: z.array(z.string()).describe('The programmes it works in: referrals and transfers to it are for these'),
  })
  .meta({ id: 'Organisation' });

const OrgParams = z.object({ org: z.string().max(100).describe('An organisation id of the directory') });
const PeopleQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }).strict();
const PersonSeen = z.object({ id: z.string().describe('The id they sign in with'), role: Role, lastSeenAt: z.string() });

/** The organisation directory, and the people of one's own organisation that work may be assigned to. */
export const organisationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/organisations',
    {
      schema: {
        summary: 'The organisation directory: every organisation referrals, transfers and assignments may name',
        tags: ['organisations'],
        response: withProblems({ 200: z.object({ items: z.array(OrganisationView) }) }),
      },
    },
    async () => ({ items: [...deps.config.organisations] }),
  );

  app.get(
    '/v1/organisations/:org/people',
    {
      config: { roles: ['coordinator', 'supervisor'] },
      schema: {
        summary: "The people of the caller's own organisation who have signed in: whom work may be assigned to",
        description: 'Most recently seen first. Another organisation\'s people are not listed (403).',
        tags: ['organisations'],
        params: OrgParams,
        querystring: PeopleQuery,
        response: withProblems({ 200: z.object({ items: z.array(PersonSeen) }) }, 403),
      },
    },
    async (request) => {
      if (request.params.org !== request.actor.org) throw new AppError('forbidden', 'Only the people of your own organisation are listed.', { why: { code: 'own-organisation-only' } });
      return { items: await peopleSeen(deps.pool, request.actor.org, request.query.limit) };
    },
  );
};
