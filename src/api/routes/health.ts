import type { FastifyInstance } from 'fastify';
import { checkReadiness } from '../readiness.js';
import type { AppDeps } from '../deps.js';

/** Liveness and readiness, for orchestrators and load balancers; no authentication. */
export async function healthRoutes(app: FastifyInstance, deps: AppDeps) {
  const quiet = { logLevel: 'warn' as const, config: { rateLimit: false as const }, schema: { hide: true } };
  app.get('/healthz', quiet, async () => ({ status: 'ok' }));
  app.get('/readyz', quiet, async (_request, reply) => {
    const readiness = await checkReadiness({ pool: deps.pool, client: deps.client, taskQueue: deps.config.temporal.taskQueue });
    const { ready, checks, incidents } = readiness;
    // Unauthenticated: how many incidents are open, of which kinds; the logs and audit:verify name each pathway.
    const kinds: Record<string, number> = {};
    for (const { kind } of incidents) kinds[kind] = (kinds[kind] ?? 0) + 1;
    const open = incidents.length ? { openIncidents: incidents.length, incidentKinds: kinds } : {};
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks, ...open });
  });
}
