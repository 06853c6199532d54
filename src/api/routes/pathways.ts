import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OpenPathway } from '../../domain/open.js';
import { sendAction } from '../../pathways/actions.js';
import { pathwayAccessLog, pathwayHistory } from '../../pathways/history.js';
import { listVisiblePathways } from '../../pathways/list.js';
import { openPathways } from '../../pathways/open.js';
import { readPathway } from '../../pathways/read.js';
import type { AppDeps } from '../deps.js';
import {
  AccessLog,
  AccessLogQuery,
  ActionRequest,
  ActionResponse,
  History,
  ListedPathway,
  ListQuery,
  OpenHeaders,
  PathwayParams,
  PathwayState,
  PreferHeaders,
  ReadQuery,
  wantsMinimal,
  OversightTold,
  withProblems,
} from '../schemas.js';

const ALL_ROLES = ['coordinator', 'staff', 'supervisor'] as const;

const Opened = z.object({
  id: z.string(),
  state: PathwayState.optional().describe(
    'The new pathway as its workflow opens it. Absent with Prefer: return=minimal, or when a pathway an earlier request with this Idempotency-Key opened could not be read in time; GET it later',
  ),
  oversightTold: OversightTold,
});

export const pathwayRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/v1/pathways',
    {
      config: { roles: ['coordinator'] },
      schema: {
        summary: 'Open a pathway for one person',
        tags: ['pathways'],
        headers: OpenHeaders,
        body: OpenPathway,
        response: withProblems({ 200: Opened, 201: Opened }, 403, 409, 503),
      },
    },
    async (request, reply) => {
      const minimal = wantsMinimal(request.headers.prefer);
      const [opened] = await openPathways(deps, request.actor, [{ request: request.body, fieldPrefix: 'body.' }], {
        idempotencyKey: request.headers['idempotency-key'],
        requestId: request.id,
        answersState: !minimal,
      });
      // A new pathway's state is known without asking (`openingView`); one an earlier request
      // opened is read. The pathway exists from here on: a busy worker must not turn that into an error.
      const state = minimal ? undefined : (opened!.state ?? (await readPathway(deps, request.actor, opened!.id, request.id).catch(() => undefined)));
      if (minimal) reply.header('preference-applied', 'return=minimal');
      reply.header('location', `/v1/pathways/${opened!.id}`);
      return reply.status(opened!.created ? 201 : 200).send({ id: opened!.id, state, ...(opened!.oversightTold ? { oversightTold: true } : {}) });
    },
  );

  app.get(
    '/v1/pathways',
    {
      config: { roles: ['coordinator', 'supervisor'] },
      schema: {
        summary: 'List pathways, newest first',
        tags: ['pathways'],
        querystring: ListQuery,
        response: withProblems({ 200: z.object({ items: z.array(ListedPathway), nextCursor: z.string().nullable() }) }, 403),
      },
    },
    async (request) => listVisiblePathways(deps, request.actor, request.query, request.id),
  );

  app.get(
    '/v1/pathways/:id',
    {
      config: { roles: ALL_ROLES, pathwayAccess: 'read' },
      schema: {
        summary: "One pathway's state, with the actions the caller may send now",
        tags: ['pathways'],
        params: PathwayParams,
        querystring: ReadQuery,
        response: withProblems({ 200: PathwayState }, 404, 503),
      },
    },
    async (request) => readPathway(deps, request.actor, request.params.id, request.id, 'state', request.query.minVersion),
  );

  app.post(
    '/v1/pathways/:id/actions',
    {
      config: { roles: ALL_ROLES, pathwayAccess: 'act' },
      schema: {
        summary: 'Record a step: accepted (200) or refused with the reason (409)',
        tags: ['pathways'],
        params: PathwayParams,
        headers: PreferHeaders,
        body: ActionRequest,
        response: withProblems({ 200: ActionResponse }, 403, 404, 409, 503),
      },
    },
    async (request, reply) => {
      const withState = !wantsMinimal(request.headers.prefer);
      if (!withState) reply.header('preference-applied', 'return=minimal');
      return sendAction(deps, request.actor, request.params.id, request.body as ActionRequest, request.id, { withState });
    },
  );

  app.get(
    '/v1/pathways/:id/history',
    {
      config: { roles: ['supervisor'], pathwayAccess: 'audit' },
      schema: {
        summary: 'The audit trail, oldest first',
        tags: ['pathways'],
        params: PathwayParams,
        response: withProblems({ 200: History }, 403, 404),
      },
    },
    async (request) => pathwayHistory(deps, request.actor, request.params.id, request.id),
  );

  app.get(
    '/v1/pathways/:id/access-log',
    {
      config: { roles: ['supervisor'], pathwayAccess: 'audit' },
      schema: {
        summary: "Who read the pathway's state or history, oldest first, a page at a time",
        tags: ['pathways'],
        params: PathwayParams,
        querystring: AccessLogQuery,
        response: withProblems({ 200: AccessLog }, 403, 404),
      },
    },
    async (request) => pathwayAccessLog(deps, request.actor, request.params.id, request.id, request.query),
  );
};
