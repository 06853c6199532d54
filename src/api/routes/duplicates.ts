import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALERT_OUTCOMES } from '../../db/duplicate-alerts.js';
import { ShownPerson } from '../../domain/person-shown.js';
import { alertQueue, alertSummary, possibleDuplicatesOf, reviewAlert } from '../../pathways/duplicate-review.js';
import { PossibleDuplicate } from '../../pathways/duplicates.js';
import type { AppDeps } from '../deps.js';
import { FreeText, PathwayParams, withProblems } from '../schemas.js';

const AlertSide = z.object({
  pathwayId: z.string(),
  organisations: z.array(z.string()).describe('The organisations holding the pathway now'),
  programme: z.string(),
  status: z.string(),
  currentStage: z.string(),
  person: ShownPerson,
});

const DuplicateAlert = z
  .object({
    id: z.string(),
    raisedAt: z.string(),
    opened: AlertSide.describe('The pathway whose opening raised the alert'),
    other: AlertSide.describe("Another organisation's pathway it may duplicate"),
    review: z.object({ outcome: z.enum(ALERT_OUTCOMES), by: z.string(), at: z.string(), note: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'DuplicateAlert' });

const AlertQuery = z
  .object({
    status: z.enum(['unreviewed', 'reviewed', 'all']).default('unreviewed'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

const AlertParams = z.object({
  alertId: z.string().max(36).transform((id) => id.toLowerCase()).pipe(z.uuid()).describe('The alert id (a UUID)'),
});

export const AlertReview = z
  .object({
    outcome: z.enum(ALERT_OUTCOMES),
    note: FreeText(1, 2000).optional().describe('What was found; stored in PostgreSQL only'),
  })
  .strict();

const Confirmed = z.object({ by: z.string(), org: z.string(), at: z.string() });

export const duplicateRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/pathways/:id/possible-duplicates',
    {
      config: { roles: ['coordinator', 'supervisor'], pathwayAccess: 'audit' },
      schema: {
        summary: "Other pathways of the caller's organisation that may be this pathway's person",
        description:
          'Same folded name, sex, and a birth date that may be the same day: what a pathway closed as a duplicate links to. ' +
          'Each says who confirmed they are different people, if anyone did. The organisation holding the pathway asks (oversight too, and sees ' +
          "every organisation's); others get 404 as for its history. " +
          "each pathway named is written to its access log (what: duplicates).",
        tags: ['pathways'],
        params: PathwayParams,
        response: withProblems({ 200: z.object({ items: z.array(PossibleDuplicate.omit({ row: true }).extend({ confirmedDifferent: Confirmed.nullable() })) }) }, 403, 404),
      },
    },
    async (request) => possibleDuplicatesOf(deps, request.actor, request.params.id, request.id),
  );

  app.get(
    '/v1/duplicate-alerts',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'People who may have pathways in two organisations, oldest first (oversight supervisors)',
        description:
          'Raised when a pathway opens for someone who matches another organisation\'s pathway (folded name, sex, birth date): ' +
          'the opening organisation is never told which. status: unreviewed (default), reviewed or all. Supervisors of other ' +
          'organisations get 403. Both pathways of each alert are written to their access logs (what: duplicates, via: oversight).',
        tags: ['pathways'],
        querystring: AlertQuery,
        response: withProblems({ 200: z.object({ items: z.array(DuplicateAlert), nextCursor: z.string().nullable() }) }, 403),
      },
    },
    async (request) => alertQueue(deps, request.actor, request.query, request.id),
  );

  app.get(
    '/v1/duplicate-alerts/summary',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'How many possible duplicates across organisations wait for review (oversight supervisors)',
        description: 'A count only: no pathway is named, so nothing is written to access logs.',
        tags: ['pathways'],
        response: withProblems({ 200: z.object({ unreviewed: z.number().int() }) }, 403),
      },
    },
    async (request) => alertSummary(deps, request.actor),
  );

  app.post(
    '/v1/duplicate-alerts/:alertId/review',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'Review a possible duplicate across organisations: the same person or different people (oversight supervisors)',
        description: 'Once per alert: one already reviewed answers 409 with reason already-reviewed.',
        tags: ['pathways'],
        params: AlertParams,
        body: AlertReview,
        response: withProblems({ 200: z.object({ id: z.string(), outcome: z.enum(ALERT_OUTCOMES), at: z.string() }) }, 403, 404, 409),
      },
    },
    async (request) => reviewAlert(deps, request.actor, request.params.alertId, request.body),
  );
};
