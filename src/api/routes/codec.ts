import type { Payload } from '@temporalio/common';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../../config/index.js';
import type { Actor } from '../../domain/model.js';
import { AppError } from '../../errors.js';
import { pathwaysOfOrganisation } from '../../db/pathway-access.js';
import { isOversight } from '../../pathways/access.js';
import { pathwayOfPayload } from '../../temporal/codec.js';
import { codecOrigins, localUiOrigins } from '../../temporal/ui.js';
import type { AppDeps } from '../deps.js';
import { fromThisMachine } from '../loopback.js';
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
 * preflight, and the CORS headers on every codec answer (decoded payloads and problems alike), for
 * the allowed origins only (src/temporal/ui.ts). Not encapsulated (skip-override), so that its
 * hook reaches the codec routes registered among the secured ones.
 */
const corsPlugin: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const allowed = codecOrigins(deps.config);
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/codec/')) return;
    reply.header('vary', 'origin');
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      // Bearer tokens only, never cookies: no credentials header.
      reply.header('access-control-allow-origin', origin);
    }
  });
  app.options('/codec/*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'authorization, content-type, x-namespace')
      .header('access-control-max-age', '600')
      .status(204)
      .send(),
  );
};
export const codecCors = Object.assign(corsPlugin, { [Symbol.for('skip-override')]: true });

/**
 * Development (CODEC_DEV_UI_WITHOUT_TOKEN, refused in production): the Temporal UI on this machine
 * sends no token. A decode request without an Authorization header, from that UI's origin and over
 * loopback, is the local developer's, who decodes everything of this namespace (as an oversight
 * supervisor would). Every other request is left to the token: none, or a bad one, stays 401.
 * Runs between `identify` and `authorize`.
 */
export function localUiDecoding(config: Config) {
  const origins = new Set(config.mode === 'development' && config.payload.codecDevUiWithoutToken ? localUiOrigins(config) : []);
  const developer: Actor = { id: 'local-temporal-ui', role: 'supervisor', org: config.auth.oversightOrg };
  return async (request: FastifyRequest) => {
    if (origins.size === 0 || request.routeOptions.url !== '/codec/decode' || request.headers.authorization !== undefined) return;
    const origin = request.headers.origin;
    if (!origin || !origins.has(origin) || !fromThisMachine(request)) return;
    request.authFailure = undefined;
    request.actor = developer;
  };
}

/**
 * The remote codec the Temporal Web UI calls to show decoded payloads, for this namespace only.
 * A pathway's organisations' people and oversight supervisors may decode its payloads; the others
 * come back still encrypted. A referral's receiver or an emergency reader sees part of a pathway,
 * or for a while, through the API only: the UI shows a whole history. Encoding is not
 * offered: nobody outside the service needs to make payloads with its key.
 */
export const codecRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/codec/decode',
    {
      config: { roles: ['coordinator', 'staff', 'supervisor'] },
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
