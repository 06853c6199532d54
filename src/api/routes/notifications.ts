import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inbox, markRead, unreadCount } from '../../db/notifications.js';
import { StageName } from '../../domain/model.js';
import { NOTIFICATION_KINDS } from '../../notify/types.js';
import { decodeCursor, encodeCursor, PgTimestamp } from '../../pathways/cursor.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

const EVERYONE = { roles: ['coordinator', 'staff', 'supervisor'] as const };

/** What a notification carries: categories, dates and counts, never a personal value. */
export const NotificationData = z
  .object({
    programme: z.string(),
    stage: StageName,
    dueAt: z.string(),
    stages: z.array(StageName),
    count: z.number().int(),
    decision: z.enum(['placement', 'early-closure']),
    from: z.string(),
    to: z.string(),
    reason: z.string().describe('A category: an answer (accepted, declined), a grant\'s reason, a close reason, an incident\'s kind'),
    referral: z.string(),
    webhookId: z.string(),
  })
  .partial();

export const Notification = z.object({
  id: z.string().uuid(),
  kind: z.enum(NOTIFICATION_KINDS),
  pathwayId: z.string().uuid().nullable(),
  data: NotificationData,
  createdAt: z.string(),
  read: z.boolean(),
});

const Unread = z.object({ unread: z.number().int().describe('Notifications the caller has not read') });

export const InboxQuery = z
  .object({
    state: z.enum(['unread', 'all']).default('all'),
    limit: z.coerce.number().int().min(1).max(100).default(30),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const ReadBody = z.union([
  z.object({ ids: z.array(z.string().uuid()).min(1).max(100) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

export const notificationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/notifications',
    {
      config: EVERYONE,
      schema: {
        summary: "The caller's inbox, newest first",
        description:
          'What the caller is told of: by their organisation and role, or by name (assigned to them); never a decision they prepared themselves. ' +
          'A notification names the pathway by its id and carries no personal value.',
        tags: ['notifications'],
        querystring: InboxQuery,
        response: withProblems({ 200: Unread.extend({ notifications: z.array(Notification), nextCursor: z.string().nullable() }) }),
      },
    },
    async (request) => {
      const { state, limit, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, z.tuple([PgTimestamp, z.string().uuid()])) : undefined;
      const [page, unread] = await Promise.all([
        inbox(deps.pool, request.actor, { unreadOnly: state === 'unread', limit, after: after && { createdAt: after[0], id: after[1] } }),
        unreadCount(deps.pool, request.actor),
      ]);
      return { unread, notifications: page.items, nextCursor: page.next ? encodeCursor([page.next.createdAt, page.next.id]) : null };
    },
  );

  app.get(
    '/v1/notifications/unread',
    { config: EVERYONE, schema: { summary: 'How many notifications the caller has not read', tags: ['notifications'], response: withProblems({ 200: Unread }) } },
    async (request) => ({ unread: await unreadCount(deps.pool, request.actor) }),
  );

  app.post(
    '/v1/notifications/read',
    {
      config: EVERYONE,
      schema: {
        summary: 'Mark notifications read: some by id, or all',
        description: "Ids the caller is not told of are ignored. Answers what is still unread.",
        tags: ['notifications'],
        body: ReadBody,
        response: withProblems({ 200: Unread }),
      },
    },
    async (request) => {
      await markRead(deps.pool, request.actor, 'ids' in request.body ? request.body.ids : undefined);
      return { unread: await unreadCount(deps.pool, request.actor) };
    },
  );
};
