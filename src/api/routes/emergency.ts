import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EMERGENCY_REASONS, REVIEW_OUTCOMES } from '../../db/emergency-access.js';
import { breakTheGlass, reviewGrant, reviewQueue } from '../../pathways/emergency.js';
import type { AppDeps } from '../deps.js';
import { ShownPerson } from '../../domain/person-shown.js';
import { FreeText, PathwayParams, withProblems } from '../schemas.js';

export const EmergencyAccessRequest = z
  .object({
    reason: z.enum(EMERGENCY_REASONS),
    note: FreeText(10, 2000).describe('What the emergency is and why this pathway must be read now (10 visible characters at least); stored in PostgreSQL only'),
  })
  .strict()
  .meta({ id: 'EmergencyAccessRequest' });

const Grant = z.object({
  id: z.string().describe('The grant: reads made with it name it in the access log'),
  pathwayId: z.string(),
  expiresAt: z.string().describe('Reading with it ends then'),
  reason: z.enum(EMERGENCY_REASONS),
});

const QueueQuery = z
  .object({
    status: z.enum(['unreviewed', 'reviewed', 'all']).default('unreviewed'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

const EmergencyAccess = z
  .object({
    id: z.string(),
    pathwayId: z.string(),
    actor: z.object({ id: z.string(), role: z.string(), org: z.string() }).describe('Who broke the glass'),
    reason: z.enum(EMERGENCY_REASONS),
    note: z.string().describe('Their account of the emergency (personal free text)'),
    grantedAt: z.string(),
    expiresAt: z.string(),
    reads: z.number().int().describe('How many times the pathway was read with it'),
    review: z
      .object({ outcome: z.enum(REVIEW_OUTCOMES), by: z.string(), at: z.string(), note: z.string().nullable() })
      .nullable()
      .describe('The oversight organisation\'s verdict; null until reviewed'),
  })
  .meta({ id: 'EmergencyAccess' });

const ListedEmergencyAccess = EmergencyAccess.extend({ person: ShownPerson.describe('Whose record was read: initials when the name is hidden') });

const GrantParams = z.object({
  grantId: z.string().max(36).transform((id) => id.toLowerCase()).pipe(z.uuid()).describe('The grant id (a UUID)'),
});

export const ReviewRequest = z
  .object({
    outcome: z.enum(REVIEW_OUTCOMES),
    note: FreeText(1, 2000).optional().describe('Why; stored in PostgreSQL only'),
  })
  .strict();

export const emergencyRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/v1/pathways/:id/emergency-access',
    {
      config: { roles: ['staff', 'supervisor'], pathwayAccess: 'emergency' },
      schema: {
        summary: "Emergency access (break the glass): read another organisation's pathway for a limited time, giving a reason",
        description:
          `For a pathway the caller cannot see otherwise (409 with reason not-needed when they can). The grant lasts ` +
          `EMERGENCY_ACCESS_MINUTES (180 by default); meanwhile the caller reads the pathway (GET /v1/pathways/{id}) and acts on nothing. ` +
          'The grant and every read made with it are flagged in the access log (via: emergency, with the grant id), and the grant waits ' +
          "in the oversight organisation's review queue. A caller who already holds an unexpired grant gets it back (200), unchanged.",
        tags: ['emergency access'],
        params: PathwayParams,
        body: EmergencyAccessRequest,
        response: withProblems({ 200: Grant, 201: Grant }, 403, 404, 409),
      },
    },
    async (request, reply) => {
      const { grant, created } = await breakTheGlass(deps, request.actor, request.params.id, request.body, request.id);
      return reply.status(created ? 201 : 200).send(grant);
    },
  );

  app.get(
    '/v1/emergency-access',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'The review queue of emergency access, oldest first (oversight supervisors)',
        description:
          'Every grant with who broke the glass, why, until when, and how many times they read the pathway with it; ' +
          'status: unreviewed (default), reviewed or all. Supervisors of other organisations get 403. Each pathway listed is ' +
          "written to its access log (what: emergency-access, via: oversight): the notes say why someone needed the person's record.",
        tags: ['emergency access'],
        querystring: QueueQuery,
        response: withProblems({ 200: z.object({ items: z.array(ListedEmergencyAccess), nextCursor: z.string().nullable() }) }, 403),
      },
    },
    async (request) => reviewQueue(deps, request.actor, request.query, request.id),
  );

  app.post(
    '/v1/emergency-access/:grantId/review',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'Review an emergency access: justified or not (oversight supervisors)',
        description: 'Once per grant: a grant already reviewed answers 409 with reason already-reviewed. The grant need not have expired.',
        tags: ['emergency access'],
        params: GrantParams,
        body: ReviewRequest,
        response: withProblems({ 200: EmergencyAccess }, 403, 404, 409),
      },
    },
    async (request) => reviewGrant(deps, request.actor, request.params.grantId, request.body),
  );
};
