import type { FastifyInstance } from 'fastify';
import { checkReadiness } from '../readiness.js';
import type { AppDeps } from '../app.js';

/** Liveness and readiness, for orchestrators and load balancers; no authentication. */
export async function healthRoutes(app: FastifyInstance, deps: AppDeps) {
  const quiet = { logLevel: 'warn' as const, config: { rateLimit: false as const }, schema: { hide: true } };
  app.get('/healthz', quiet, async () => ({ status: 'ok' }));
  app.get('/readyz', quiet, async (_request, reply) => {
    const readiness = await checkReadiness({ pool: deps.pool, client: deps.client, taskQueue: deps.config.temporal.taskQueue });
    const { ready, checks, incidents } = readiness;
    // Unauthenticated: the number of open incidents only; the worker's log names each pathway.
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks, ...(incidents.length ? { openIncidents: incidents.length } : {}) });
  });
}
