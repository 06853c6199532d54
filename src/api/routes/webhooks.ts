import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isLoopbackHttp } from '../../../config/settings.js';
import { webhookDeliveries } from '../../db/webhook-deliveries.js';
import { createWebhook, deleteWebhook, findWebhook, listWebhooks, rotateSecret, updateWebhook } from '../../db/webhooks.js';
import { textProblem } from '../../domain/text.js';
import { AppError } from '../../errors.js';
import { decodeCursor, encodeCursor, PgTimestamp } from '../../pathways/cursor.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

const URL_MESSAGE = 'must be an https:// URL (http:// only on 127.0.0.1 or localhost, outside production)';

/** A receiver's address: https, or http on this machine's loopback outside production; no credentials, no fragment. */
function webhookUrl(production: boolean) {
  return z
    .string()
    .trim()
    .max(2000)
    .superRefine((value, ctx) => {
      const parsed = URL.canParse(value) ? new URL(value) : undefined;
      const allowed = parsed && (parsed.protocol === 'https:' || (!production && isLoopbackHttp(value)));
      if (!parsed || !allowed || parsed.username || parsed.password || parsed.hash) ctx.addIssue({ code: 'custom', message: URL_MESSAGE, params: { code: 'https-url-only' } });
    })
    .describe('Where the notifications are POSTed: https:// (http:// only on 127.0.0.1 or localhost, outside production)');
}

const Description = z
  .string()
  .trim()
  .max(200)
  .superRefine((value, ctx) => {
    const problem = textProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('What the hook is for (which system receives it), for the supervisors managing it: no personal data');

const WebhookId = z.object({
  id: z.string().max(36).transform((id) => id.toLowerCase()).pipe(z.uuid()).describe('The webhook id (a UUID)'),
});

export const WebhookView = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    enabled: z.boolean().describe('Switched on: false while a supervisor has switched it off (nothing new is kept for it)'),
    status: z.enum(['active', 'disabled', 'paused']).describe('paused: its receiver failed for NOTIFY_GIVE_UP_SECONDS; its deliveries are held until it is switched on again'),
    pausedAt: z.string().nullable(),
    pausedReason: z.string().nullable().describe('The last failure before the pause, as lastError of a delivery'),
    failingSince: z.string().nullable().describe('Since when its receiver has failed, when it is failing now'),
    pending: z.number().int().describe('Deliveries waiting to be sent'),
    held: z.number().int().describe('Deliveries held while it is paused or switched off'),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' });

const Secret = z.string().describe('The signing secret (whsec_ and base64): shown only here; keep it in the receiving system');

const DeliveryLogQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

const WebhookDelivery = z
  .object({
    id: z.string().describe('Sent as the webhook-id header: the same on every retry'),
    notificationId: z.string(),
    kind: z.string().describe('The notification\'s kind (type pathways.<kind>)'),
    status: z.enum(['pending', 'sending', 'sent', 'held', 'skipped', 'failed']),
    attempts: z.number().int().describe('Requests that failed so far'),
    lastError: z.string().nullable().describe('Why the last try failed: HTTP <status> (a non-2xx answer, redirects included), timeout (no answer within 10 s), a network error code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED…), no-answer, or webhook deleted'),
    lastStatusCode: z.number().int().nullable().describe('What the receiver answered last, when it answered'),
    lastAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

/** What adding and changing a hook take; in production, https addresses only. */
export function webhookBodies(production: boolean) {
  const CreateWebhook = z.object({ url: webhookUrl(production), description: Description.default('') }).strict().meta({ id: 'CreateWebhook' });
  const UpdateWebhook = z
    .object({
      url: webhookUrl(production).optional(),
      description: Description.optional(),
      enabled: z.boolean().optional().describe('false switches it off; true switches it on and resumes a paused hook, sending what was held'),
    })
    .strict()
    .refine((change) => Object.keys(change).length > 0, 'must change url, description or enabled')
    .meta({ id: 'UpdateWebhook' });
  return { CreateWebhook, UpdateWebhook };
}

const Position = z.tuple([PgTimestamp, z.uuid()]);
const NOT_FOUND = () => new AppError('not-found', 'Your organisation has no webhook with this id.');

/** Webhooks of the caller's organisation, managed by its supervisors; another organisation's hook is not found. */
export const webhookRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { CreateWebhook, UpdateWebhook } = webhookBodies(deps.config.mode === 'production');
  const config = { roles: ['supervisor'] as const };
  const tags = ['webhooks'];

  app.get(
    '/v1/webhooks',
    {
      config,
      schema: {
        summary: "The webhooks of the caller's organisation (supervisors)",
        description: 'Every notification the organisation is told of is POSTed to each hook, signed (Standard Webhooks); see README, Webhooks.',
        tags,
        response: withProblems({ 200: z.object({ items: z.array(WebhookView) }) }, 403),
      },
    },
    async (request) => ({ items: await listWebhooks(deps.pool, request.actor.org) }),
  );

  app.post(
    '/v1/webhooks',
    {
      config,
      schema: {
        summary: 'Add a webhook: its signing secret is answered once, here only',
        tags,
        body: CreateWebhook,
        response: withProblems({ 201: WebhookView.extend({ secret: Secret }) }, 403),
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await createWebhook(deps.pool, { organisation: request.actor.org, url: request.body.url, description: request.body.description, createdBy: request.actor.id });
      return reply.status(201).send({ ...webhook, secret });
    },
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      config,
      schema: {
        summary: 'Change a webhook: its address, description, or switch it off and on (on resumes a paused one)',
        tags,
        params: WebhookId,
        body: UpdateWebhook,
        response: withProblems({ 200: WebhookView }, 403, 404),
      },
    },
    async (request) => (await updateWebhook(deps.pool, request.actor.org, request.params.id, request.body)) ?? Promise.reject(NOT_FOUND()),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config,
      schema: {
        summary: 'Remove a webhook: what still waited for it is not sent',
        tags,
        params: WebhookId,
        response: withProblems({ 204: z.null().describe('Removed') }, 403, 404),
      },
    },
    async (request, reply) => {
      if (!(await deleteWebhook(deps.pool, request.actor.org, request.params.id))) throw NOT_FOUND();
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      config,
      schema: {
        summary: 'A new signing secret, answered once; the previous one keeps signing beside it for 24 hours',
        description: 'During those 24 hours webhook-signature holds two signatures, one by each secret: a receiver verifies with either.',
        tags,
        params: WebhookId,
        response: withProblems({ 200: z.object({ secret: Secret }) }, 403, 404),
      },
    },
    async (request) => {
      const secret = await rotateSecret(deps.pool, request.actor.org, request.params.id);
      if (!secret) throw NOT_FOUND();
      return { secret };
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config,
      schema: {
        summary: "A webhook's delivery log, newest first: each notification's kind, status, attempts, last error and when it was sent",
        tags,
        params: WebhookId,
        querystring: DeliveryLogQuery,
        response: withProblems({ 200: z.object({ items: z.array(WebhookDelivery), nextCursor: z.string().nullable() }) }, 403, 404),
      },
    },
    async (request) => {
      if (!(await findWebhook(deps.pool, request.actor.org, request.params.id))) throw NOT_FOUND();
      const after = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor, Position);
      const { items, last } = await webhookDeliveries(deps.pool, request.params.id, { limit: request.query.limit, after: after && { createdAt: after[0], id: after[1] } });
      return { items, nextCursor: last ? encodeCursor([last.createdAt, last.id]) : null };
    },
  );
};
