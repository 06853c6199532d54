import type { FastifyInstance } from 'fastify';
import { checkReadiness } from '../readiness.js';
import type { AppDeps } from '../app.js';

/** Liveness and readiness, for orchestrators and load balancers; no authentication. */
export async function healthRoutes(app: FastifyInstance, deps: AppDeps) {
  const quiet = { logLevel: 'warn' as const, config: { rateLimit: false as const }, schema: { hide: true } };
  app.get('/healthz', quiet, async () => ({ status: 'ok' }));
  app.get('/readyz', quiet, async (_request, reply) => {
    const readiness = await checkReadiness({ pool: deps.pool, client: deps.client, taskQueue: deps.config.temporal.taskQueue });
    return reply.status(readiness.ready ? 200 : 503).send({ status: readiness.ready ? 'ready' : 'not-ready', checks: readiness.checks });
  });
}
