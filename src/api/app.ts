import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../../config/index.js';
import type { Pool } from '../db/pool.js';
import type { Programme } from '../domain/model.js';
import type { Template } from '../domain/template.js';
import type { Logger } from '../logger.js';
import { registerProblemHandlers } from './problems.js';
import { healthRoutes } from './routes/health.js';

/** Everything the API needs, built once by the process and handed in. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  client: Client;
  templates: ReadonlyMap<Programme, Template>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

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
    bodyLimit: 1024 * 1024,
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerProblemHandlers(app);
  await app.register(healthRoutes, deps);
  return app;
}
