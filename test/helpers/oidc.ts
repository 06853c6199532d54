import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config/index.js';
import type { Role } from '../../src/domain/model.js';
import { testConfig, type TestStack } from './stack.js';

/** Someone who can sign in at the test provider, and what its tokens say about them. */
export interface TestAccount {
  password: string;
  role: Role;
  org: string;
}

export interface TestProviderOptions {
  /** Username (the tokens' `sub`) to account. */
  accounts: Record<string, TestAccount>;
  /** Where the provider may send the browser back, and back after signing out; their origins may call it from a browser. */
  redirectUris: string[];
  /** Resource indicators it issues JWT access tokens for (each its own audience); the first when a client asks for none. */
  resources: string[];
  clientId?: string;
}

export interface TestProvider {
  issuer: string;
  jwksUrl: string;
  clientId: string;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The provider's own sign-in page: one form with Username, Password and a Sign in button. */
function loginPage(uid: string, refused: boolean): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body><main><h1>Sign in</h1>
${refused ? '<p role="alert">Wrong username or password.</p>' : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form></main></body></html>`;
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 at a free port, for the console's sign-in:
 * one public client that must use PKCE, a sign-in form of its own checking `accounts`, no consent
 * screen (the console is a first-party client), and access tokens that are JWTs for the requested
 * resource carrying `sub`, `role` and `org`, signed with a key made for this provider.
 */
export async function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  const clientId = options.clientId ?? 'pathways-console';
  const { accounts, resources } = options;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };

  let provider: Provider | undefined;
  let providerRoutes: ((request: IncomingMessage, response: ServerResponse) => unknown) | undefined;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const interaction = /^\/interaction\/([\w-]+)$/.exec(new URL(request.url!, issuer).pathname);
    if (!interaction) return providerRoutes!(request, response);
    const details = await provider!.interactionDetails(request, response);
    if (details.prompt.name !== 'login') {
      response.statusCode = 501;
      return response.end(`The test provider only asks to sign in, not for ${details.prompt.name}.`);
    }
    if (request.method === 'POST') {
      const form = await formOf(request);
      const username = form.get('username') ?? '';
      const account = Object.hasOwn(accounts, username) ? accounts[username] : undefined;
      if (account && account.password === form.get('password')) {
        return provider!.interactionFinished(request, response, { login: { accountId: username } }, { mergeWithLastSubmission: false });
      }
    }
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.setHeader('cache-control', 'no-store');
    response.end(loginPage(details.uid, request.method === 'POST'));
  }

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.redirectUris,
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? resources[0],
        // The console may leave out `resource` at the token endpoint: the one it was granted is used.
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (!resources.includes(indicator)) throw new errors.InvalidTarget();
          return { scope: '', audience: indicator, accessTokenFormat: 'jwt', accessTokenTTL: 600 };
        },
      },
    },
    findAccount: (_ctx, sub) => (Object.hasOwn(accounts, sub) ? { accountId: sub, claims: () => ({ sub }) } : undefined),
    extraTokenClaims: (_ctx, token) => {
      const account = 'accountId' in token && token.accountId ? accounts[token.accountId] : undefined;
      return account && { role: account.role, org: account.org };
    },
    // A first-party client: once signed in, what it asks for is granted without a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { session, client, result } = ctx.oidc;
      const grantId = (result?.consent as { grantId?: string } | undefined)?.grantId ?? session?.grantIdFor(client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client!.clientId, accountId: session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      await grant.save();
      return grant;
    },
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris!.some((uri) => new URL(uri).origin === origin),
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  };
  provider = new Provider(issuer, configuration);
  providerRoutes = provider.callback();

  return {
    issuer,
    jwksUrl: provider.urlFor('jwks'),
    clientId,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The service's configuration on a test stack when its people sign in at `idp`: tokens verified
 * by the provider's keys for `audience` (not the development secret), and the console's sign-in.
 */
export function configSignedInAt(stack: TestStack, idp: TestProvider, audience: string): Config {
  return testConfig({
    DATABASE_URL: stack.db.url,
    TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
    AUTH_JWT_SECRET: undefined,
    AUTH_JWKS_URL: idp.jwksUrl,
    AUTH_JWT_ISSUER: idp.issuer,
    AUTH_JWT_AUDIENCE: audience,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
  });
}
