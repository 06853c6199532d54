import { randomUUID } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type onRouteHookHandler } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { actorOf, authorize, identify } from './auth.js';
import type { AppDeps } from './deps.js';
import { clientErrorHandler, frameworkErrors } from './client-errors.js';
import { registerInputBoundary } from './boundary.js';
import { registerProblemHandlers } from './problems.js';
import { bulkRoutes } from './routes/bulk.js';
import { codecCors, codecRoutes, localUiDecoding } from './routes/codec.js';
import { cohortRoutes } from './routes/cohorts.js';
import { duplicateRoutes } from './routes/duplicates.js';
import { emergencyRoutes } from './routes/emergency.js';
import { exportRoutes } from './routes/exports.js';
import { familyRoutes } from './routes/family.js';
import { organisationRoutes } from './routes/organisations.js';
import { notificationRoutes } from './routes/notifications.js';
import { peopleRoutes } from './routes/people.js';
import { printRoutes } from './routes/print.js';
import { rememberPeople } from './people-seen.js';
import { healthRoutes } from './routes/health.js';
import { pathwayRoutes } from './routes/pathways.js';
import { indicatorRoutes } from './routes/indicators.js';
import { reportRoutes } from './routes/reports.js';
import { webhookRoutes } from './routes/webhooks.js';
import { PublishedCache, publicStatisticsRoutes, statisticsRoutes } from './routes/statistics.js';
import { worklistRoutes } from './routes/worklist.js';
import { notificationPreferenceRoutes } from './routes/notification-preferences.js';
import { consoleRoutes } from '../console/routes.js';

export type { AppDeps };


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

/** Whose budget a request spends: the verified subject's when there is one, else its address's. */
function rateLimitKey(request: FastifyRequest): string {
  const actor = actorOf(request);
  return actor ? `actor:${JSON.stringify([actor.org, actor.id])}` : `address:${normalizeIP(request.ip)}`;
}

function requestForLog(request: FastifyRequest) {
  return { method: request.method, url: request.url.split('?')[0], host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
}

/**
 * One log line per request, when it is answered (the line on arrival is debug). The line holds
 * only the fields picked below, none of them personal, so it skips the redaction pass every
 * other line pays (about 140 µs a line against 7 without).
 */
class RequestLog extends LogController {
  constructor(private readonly lines: FastifyBaseLogger) {
    super();
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    this.lines.info({ reqId: request.id, req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** The API as a Fastify instance; only the server entry point listens. `onRoute` sees every route as it is added (tests derive their cases from them). */
export async function buildApp(deps: AppDeps, options: { onRoute?: onRouteHookHandler } = {}): Promise<FastifyInstance> {
  // A query string holds request values (filters, cursors): requests are logged by their path only.
  const logger = deps.logger.child({ component: 'api' }, { serializers: { req: requestForLog } }) as FastifyBaseLogger;
  const app = Fastify({
    loggerInstance: logger,
    logController: new RequestLog(logger.child({}, { redact: [] })),
    // A caller's X-Request-Id is kept when it is a plain token, so a request can be traced end to end.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Refused before routing (bad percent-encoding, a path parameter too long, headers over Node's limit): problem+json too.
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(logger),
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  // JSON only: any other body is answered 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerProblemHandlers(app);
  registerInputBoundary(app);
  // Limits are applied by the hooks below only: the secured routes and unknown URLs.
  await app.register(rateLimit, { global: false, max: deps.config.rateLimitPerMinute, timeWindow: '1 minute', keyGenerator: rateLimitKey });
  const limit = app.rateLimit();
  // An unknown URL answers 404 without looking at a token: its caller spends their address's budget.
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) await limit.call(app, request, reply);
  });
  await documentation(app);
  await app.register(healthRoutes, deps);
  await app.register(codecCors, deps);
  // The web console: public files and its start-up settings; everything personal it shows comes from /v1 with the user's token.
  await app.register(consoleRoutes, deps);
  const published = new PublishedCache();
  await app.register(async (open) => {
    // No token here: each address spends its own budget, like an unknown URL.
    open.addHook('onRequest', limit);
    await open.register(publicStatisticsRoutes, { ...deps, published });
  });
  await app.register(async (secured) => {
    // Identify first, then limit, then refuse: a caller without a valid token is limited too.
    secured.addHook('onRequest', identify(deps.verifier));
    secured.addHook('onRequest', localUiDecoding(deps.config));
    secured.addHook('onRequest', limit);
    secured.addHook('onRequest', authorize);
    secured.addHook('onRequest', rememberPeople(deps.pool, deps.logger));
    await secured.register(pathwayRoutes, deps);
    await secured.register(printRoutes, deps);
    await secured.register(bulkRoutes, deps);
    await secured.register(familyRoutes, deps);
    await secured.register(cohortRoutes, deps);
    await secured.register(reportRoutes, deps);
    await secured.register(exportRoutes, deps);
    await secured.register(indicatorRoutes, deps);
    await secured.register(statisticsRoutes, { ...deps, published });
    await secured.register(worklistRoutes, deps);
    await secured.register(emergencyRoutes, deps);
    await secured.register(duplicateRoutes, deps);
    await secured.register(organisationRoutes, deps);
    await secured.register(peopleRoutes, deps);
    await secured.register(notificationRoutes, deps);
    await secured.register(webhookRoutes, deps);
    await secured.register(codecRoutes, deps);
    await secured.register(notificationPreferenceRoutes, deps);
  });
  return app;
}
