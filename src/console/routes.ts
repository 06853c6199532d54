import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { signDevToken } from '../api/auth.js';
import type { AppDeps } from '../api/deps.js';
import { withProblems } from '../api/schemas.js';
import { Actor, STAGES } from '../domain/model.js';
import { AppError } from '../errors.js';
import { fromThisMachine } from '../api/loopback.js';
import { asset, consoleBundle, type Asset } from './bundle.js';
import { actionSchemas } from './action-schemas.js';
import { devIdentities } from './dev-identities.js';
import { workflowPageUrl } from '../temporal/ui.js';

/** The page may load and call this origin only (and the identity provider, to sign in). */
function securityHeaders(reply: FastifyReply, signInOrigin: string | undefined) {
  const others = signInOrigin ? ` ${signInOrigin}` : '';
  reply
    .header(
      'content-security-policy',
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${others}; ` +
        `form-action 'self'${others}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`,
    )
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY');
}

/** A file from memory; a browser that holds this version already gets 304 without the body. */
function send(request: FastifyRequest, reply: FastifyReply, found: Asset, cache: string) {
  reply.header('etag', found.etag).header('cache-control', cache);
  if (request.headers['if-none-match'] === found.etag) return reply.status(304).send();
  return reply.header('content-type', found.type).send(found.body);
}

const ConsoleConfig = z.object({
  mode: z.enum(['development', 'production']),
  languages: z.array(z.object({ code: z.string(), name: z.string() })),
  signIn: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('development'), identities: z.array(Actor) }),
    z.object({ kind: z.literal('oidc'), issuer: z.string(), clientId: z.string(), scope: z.string(), resource: z.string().optional() }),
    z.object({ kind: z.literal('none') }),
  ]),
  oversightOrg: z.string().describe('The organisation whose supervisors oversee every pathway and review emergency access'),
  temporalUi: z.object({ pathwayUrl: z.string().describe('A pathway\'s workflow page, with PATHWAYID standing for its id') }).optional(),
  catalogue: z.object({
    programmes: z.array(z.object({ code: z.string(), operations: z.array(z.object({ name: z.string(), phases: z.array(z.string()).optional() })) })),
    stages: z.array(z.string()),
  }),
});

const DevSignIn = z.object({ id: z.string().max(100) }).strict();
/** A working day: a development session signs in again after it. */
const DEV_TOKEN_HOURS = 8;

/**
 * The web console: one page, its script and style, and a file per language, served from memory;
 * what the page needs to sign in; development identities outside production.
 */
export const consoleRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const bundle = await consoleBundle();
  const identities = devIdentities(deps.config);
  const oidc = deps.config.console.oidc;
  const signInOrigin = oidc ? new URL(oidc.issuer).origin : undefined;
  // Made once: the schemas do not change while the service runs.
  const schemas = asset(JSON.stringify(actionSchemas()), 'application/json; charset=utf-8');
  const pathwayUrl = workflowPageUrl(deps.config, 'PATHWAYID');
  const catalogue = {
    programmes: [...deps.templates.values()].map((template) => ({ code: template.programme, operations: template.operations.map(({ name, phases }) => ({ name, phases })) })),
    stages: [...STAGES],
  };

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    securityHeaders(reply, signInOrigin);
    return send(request, reply, bundle.assets.get('/')!, 'no-store');
  });

  app.get('/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const found = bundle.assets.get(`/assets/${(request.params as { file: string }).file}`);
    if (!found) throw new AppError('not-found', 'There is no such file.');
    return send(request, reply, found, 'public, max-age=31536000, immutable');
  });

  app.get('/locales/:file', { schema: { hide: true } }, async (request, reply) => {
    const found = bundle.assets.get(`/locales/${(request.params as { file: string }).file}`);
    if (!found) throw new AppError('not-found', 'There is no such language.');
    return send(request, reply, found, 'no-cache');
  });

  app.get(
    '/console/config.json',
    { schema: { summary: 'What the web console needs to start: languages, how to sign in, the Temporal UI', tags: ['console'], security: [], response: { 200: ConsoleConfig } } },
    async () => ({
      mode: deps.config.mode,
      languages: bundle.languages,
      signIn: oidc
        ? { kind: 'oidc' as const, ...oidc }
        : identities
          ? { kind: 'development' as const, identities }
          : { kind: 'none' as const },
      catalogue,
      oversightOrg: deps.config.auth.oversightOrg,
      temporalUi: pathwayUrl ? { pathwayUrl } : undefined,
    }),
  );

  app.get(
    '/console/action-schemas.json',
    { schema: { summary: "Each action's payload as JSON Schema: the console builds its forms from them", tags: ['console'], security: [] } },
    async (request, reply) => send(request, reply, schemas, 'no-cache'),
  );

  // Development only: a token for one of the development identities, so the console can sign in without an identity provider.
  if (identities) {
    app.post(
      '/console/dev-token',
      {
        schema: {
          summary: 'Development only (absent in production): a token for a development identity',
          tags: ['console'],
          security: [],
          body: DevSignIn,
          response: withProblems({ 200: z.object({ token: z.string(), expiresAt: z.string() }) }, 403),
        },
      },
      async (request) => {
        // Only a browser on this machine that asked for this machine: not through a tunnel, another host, or a rebound name.
        if (!fromThisMachine(request)) throw new AppError('forbidden', 'Development identities are for a browser on the machine that runs the service.');
        const identity = identities.find((candidate) => candidate.id === request.body.id);
        if (!identity) throw new AppError('validation-failed', 'There is no development identity with this id.', { fields: [{ path: 'body.id', message: 'unknown identity', code: 'unknown-identity' }] });
        // An address under example.org (reserved: it reaches nobody), so the development mail catcher shows what each would get.
        const token = await signDevToken(deps.config, identity, `${DEV_TOKEN_HOURS}h`, { email: `${identity.id}@example.org` });
        return { token, expiresAt: new Date(Date.now() + DEV_TOKEN_HOURS * 3600_000).toISOString() };
      },
    );
  }
};
