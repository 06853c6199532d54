import type { Payload } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { pathwaysOfOrganisation } from '../../db/pathway-access.js';
import { isOversight } from '../../pathways/access.js';
import { pathwayOfPayload } from '../../temporal/codec.js';
import type { AppDeps } from '../app.js';
import { withProblems } from '../schemas.js';

/** Payloads as the Temporal Web UI and CLI send them to a remote codec: bytes in base64. */
const WirePayloads = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.base64()).default({}), data: z.base64().default('') })).max(1000),
});
type WirePayloads = z.infer<typeof WirePayloads>;

const fromWire = (wire: WirePayloads): Payload[] =>
  wire.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data, 'base64'),
  }));

const toWire = (payloads: Payload[]): WirePayloads => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  })),
});

/**
 * Lets the Temporal Web UI, served from another origin, call the codec from a browser: the
 * preflight and the CORS headers, for the configured origins only.
 */
export const codecCors: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const allowed = new Set(deps.config.payload.codecCorsOrigins);
  app.addHook('onSend', async (request, reply) => {
    const origin = request.headers.origin;
    if (request.url.startsWith('/codec/') && origin && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('vary', 'origin');
    }
  });
  app.options('/codec/*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'authorization, content-type, x-namespace')
      .status(204)
      .send(),
  );
};

/**
 * The remote codec the Temporal Web UI calls to show decoded payloads: supervisors, this namespace
 * only, and only payloads of pathways the caller may read; the others come back still encrypted.
 * Encoding is not offered: nobody outside the service needs to make payloads with its key.
 */
export const codecRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/codec/decode',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'Decrypt Temporal payloads of pathways the caller may read (remote codec for the Temporal Web UI)',
        tags: ['codec'],
        body: WirePayloads,
        response: withProblems({ 200: WirePayloads }, 403),
      },
    },
    async (request) => {
      const namespace = request.headers['x-namespace'];
      if (namespace !== undefined && namespace !== deps.config.temporal.namespace) {
        throw new AppError('forbidden', `This codec serves namespace ${deps.config.temporal.namespace} only.`);
      }
      const payloads = fromWire(request.body);
      const oversight = isOversight(request.actor, deps.config);
      const tagged = [...new Set(payloads.map(pathwayOfPayload).filter((id): id is string => id !== undefined))];
      const readable = oversight ? new Set(tagged) : await pathwaysOfOrganisation(deps.pool, tagged, request.actor.org);
      // Payloads that name no pathway (older ones, group news) are for the oversight organisation only.
      const mayRead = (payload: Payload) => {
        const pathwayId = pathwayOfPayload(payload);
        return pathwayId === undefined ? oversight : readable.has(pathwayId);
      };
      try {
        const decoded = await Promise.all(payloads.map(async (p) => (mayRead(p) ? (await deps.codec.decode([p]))[0]! : p)));
        return toWire(decoded);
      } catch {
        throw new AppError('validation-failed', 'These payloads cannot be decoded with the keys this service holds.');
      }
    },
  );
};
