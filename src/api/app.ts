import { createHash, randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../../config/index.js';
import type { Pool } from '../db/pool.js';
import type { Programme } from '../domain/model.js';
import type { Template } from '../domain/template.js';
import type { Logger } from '../logger.js';
import { authenticate, type TokenVerifier } from './auth.js';
import { registerProblemHandlers } from './problems.js';
import { codecCors, codecRoutes } from './routes/codec.js';
import { cohortRoutes } from './routes/cohorts.js';
import { healthRoutes } from './routes/health.js';
import { pathwayRoutes } from './routes/pathways.js';
import { reportRoutes } from './routes/reports.js';

/** Everything the API needs, built once by the process and handed in. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  client: Client;
  templates: ReadonlyMap<Programme, Template>;
  verifier: TokenVerifier;
  codec: PayloadCodec;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BODY_LIMIT_BYTES = 1024 * 1024;

async function documentation(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pathways API',
        version: '1',
        description:
          'Reintegration pathways for returnees. Every error is an RFC 9457 problem (application/problem+json). ' +
          'Authenticate with a bearer JWT whose claims are sub, role (coordinator, staff or supervisor) and org.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () => app.swagger());
}

/** The API as a Fastify instance; only the server entry point listens. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }) as FastifyBaseLogger,
    // A caller's X-Request-Id is kept when it is a plain token, so a request can be traced end to end.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
  });
  // JSON only: any other body is answered 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerProblemHandlers(app);
  await app.register(rateLimit, {
    max: deps.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Per token: callers without one share their address's budget.
    keyGenerator: (request) => {
      const token = request.headers.authorization;
      return token ? createHash('sha256').update(token).digest('base64url') : request.ip;
    },
  });
  await documentation(app);
  await app.register(healthRoutes, deps);
  await app.register(codecCors, deps);
  await app.register(async (secured) => {
    secured.addHook('onRequest', authenticate(deps.verifier));
    await secured.register(pathwayRoutes, deps);
    await secured.register(cohortRoutes, deps);
    await secured.register(reportRoutes, deps);
    await secured.register(codecRoutes, deps);
  });
  return app;
}
