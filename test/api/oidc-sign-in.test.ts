// Production sign-in: the console's authorization code flow with PKCE against a real OpenID provider
// on 127.0.0.1, and the API accepting (or refusing) the access tokens it issues.
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/index.js';
import {
  codeChallenge,
  discover,
  exchangeCode,
  finishSignIn,
  randomToken,
  signOutAddress,
  SignInError,
  startSignIn,
  withoutCallbackParams,
  type OidcSettings,
} from '../../web/src/auth/oidc-flow.js';
import { expectProblem, startTestApi } from '../helpers/api.js';
import { configSignedInAt, startTestProvider, type TestProvider } from '../helpers/oidc.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

/** The console is served by the API at `/`: that is where the provider sends the browser back. */
const CONSOLE_ORIGIN = 'http://127.0.0.1:3000';
const REDIRECT_URI = `${CONSOLE_ORIGIN}/`;
const AUDIENCE = 'https://pathways.example.org/api';
const OTHER_API = 'https://payroll.example.org/api';

let idp: TestProvider;
let stack: TestStack;
let config: Config;
let app: FastifyInstance;
let oidc: OidcSettings;

beforeAll(async () => {
  idp = await startTestProvider({
    accounts: {
      sue: { password: 'sue-password', role: 'supervisor', org: 'mlsp' },
      sam: { password: 'sam-password', role: 'staff', org: 'mlsp' },
    },
    redirectUris: [REDIRECT_URI],
    resources: [AUDIENCE, OTHER_API],
  });
  stack = await startTestStack({ worker: false });
  config = configSignedInAt(stack, idp, AUDIENCE);
  app = await startTestApi(stack, config);
  oidc = config.console.oidc!;
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
  await idp?.close();
});

/** fetch as the console's page calls it: from its origin, so the provider must allow that origin (CORS). */
const fromConsole: typeof fetch = async (input, init) => {
  const response = await fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: CONSOLE_ORIGIN } });
  expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
  return response;
};

/**
 * What the browser does between leaving the console and coming back: follows the provider's
 * redirects with its cookies and fills in the provider's sign-in form. Answers the address the
 * provider sends it back to; throws with the message the provider's page shows otherwise.
 */
async function browserSignIn(start: URL, username: string, password: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = start;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 10; step++) {
    if (url.href.startsWith(REDIRECT_URI)) return url;
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      body: form,
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [, name, value] = /^([^=]+)=([^;]*)/.exec(cookie)!;
      if (/expires=Thu, 01 Jan 1970/i.test(cookie)) cookies.delete(name!);
      else cookies.set(name!, value!);
    }
    const location = response.headers.get('location');
    form = undefined;
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const page = await response.text();
    const alert = /<p role="alert">([^<]*)<\/p>/.exec(page);
    const action = /<form method="post" action="([^"]+)"/.exec(page);
    if (alert || !action) throw new Error(alert?.[1] ?? `The provider answered ${response.status}: ${page.slice(0, 200)}`);
    url = new URL(action[1]!, url);
    form = new URLSearchParams({ username, password });
  }
  throw new Error('The provider never sent the browser back to the console.');
}

/** The whole sign-in as the console runs it (web/src/auth/oidc-flow.ts), with the browser's part in between. */
async function signIn(username: string, password: string, settings: OidcSettings = oidc) {
  const { url, pending } = await startSignIn(settings, REDIRECT_URI, fromConsole);
  const callback = await browserSignIn(url, username, password);
  const signedIn = await finishSignIn(settings, REDIRECT_URI, callback, pending, fromConsole);
  return signedIn!;
}

const listPathways = (token: string) => app.inject({ method: 'GET', url: '/v1/pathways', headers: { authorization: `Bearer ${token}` } });

describe('signing in to the console with an OpenID provider', () => {
  it('hands the console the provider, its client and the API as the resource to ask for', () => {
    expect(oidc).toEqual({ issuer: idp.issuer, clientId: idp.clientId, scope: 'openid', resource: AUDIENCE });
  });

  it('refuses a token answer without an ID token: the nonce could not be checked', async () => {
    const { url, pending } = await startSignIn(oidc, REDIRECT_URI, fromConsole);
    const callback = await browserSignIn(url, 'sue', 'sue-password');
    // The provider's real answer, less its ID token, as a provider that ignores the openid scope would send.
    const withoutIdToken: typeof fetch = async (input, init) => {
      const response = await fromConsole(input, init);
      if (!String(input).includes('token')) return response;
      const { id_token: _, ...rest } = (await response.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(rest), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    await expect(finishSignIn(oidc, REDIRECT_URI, callback, pending, withoutIdToken)).rejects.toMatchObject({ code: 'missing-id-token' });
  });

  it('computes the S256 code challenge of RFC 7636 (appendix B)', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lets a supervisor sign in and list pathways with the access token', async () => {
    const { url, pending } = await startSignIn(oidc, REDIRECT_URI, fromConsole);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: await codeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      resource: AUDIENCE,
    });
    const callback = await browserSignIn(url, 'sue', 'sue-password');
    expect(callback.searchParams.get('state')).toBe(pending.state);
    // What the console leaves in the address bar: its own page, without the code.
    expect(withoutCallbackParams(callback)).toBe('/');

    const signedIn = await finishSignIn(oidc, REDIRECT_URI, callback, pending, fromConsole);
    expect(signedIn!.expiresAt).toBeGreaterThan(Date.now() + 5 * 60_000);
    expect(decodeJwt(signedIn!.accessToken)).toMatchObject({ iss: idp.issuer, aud: AUDIENCE, sub: 'sue', role: 'supervisor', org: 'mlsp' });
    expect(decodeJwt(signedIn!.idToken!)).toMatchObject({ nonce: pending.nonce, aud: idp.clientId, sub: 'sue' });

    const answer = await listPathways(signedIn!.accessToken);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ items: [], nextCursor: null });
  });

  it("refuses a staff member's token on the list, which is for coordinators and supervisors (403)", async () => {
    const { accessToken } = await signIn('sam', 'sam-password');
    expectProblem(await listPathways(accessToken), 403, 'forbidden');
  });

  it('refuses a token the provider issued for another API (401)', async () => {
    const { accessToken } = await signIn('sue', 'sue-password', { ...oidc, resource: OTHER_API });
    expect(decodeJwt(accessToken).aud).toBe(OTHER_API);
    const answer = await listPathways(accessToken);
    expectProblem(answer, 401, 'unauthorized');
    expect(answer.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('gives no token for a code exchanged without the code verifier of the sign-in that asked for it', async () => {
    const { url, pending } = await startSignIn(oidc, REDIRECT_URI);
    const callback = await browserSignIn(url, 'sue', 'sue-password');
    const metadata = await discover(oidc.issuer);
    const code = callback.searchParams.get('code')!;
    for (const codeVerifier of [randomToken(), '']) {
      const exchange = exchangeCode(metadata, oidc, REDIRECT_URI, code, { ...pending, codeVerifier });
      await expect(exchange).rejects.toThrow(SignInError);
      await expect(exchange).rejects.toMatchObject({ code: 'invalid_grant' });
    }
  });

  it('refuses an answer for a sign-in this tab did not start, before using its code', async () => {
    const { url } = await startSignIn(oidc, REDIRECT_URI);
    const callback = await browserSignIn(url, 'sue', 'sue-password');
    const other = (await startSignIn(oidc, REDIRECT_URI)).pending;
    for (const pending of [other, undefined]) {
      await expect(finishSignIn(oidc, REDIRECT_URI, callback, pending)).rejects.toMatchObject({ code: 'state-mismatch' });
    }
    expect(await finishSignIn(oidc, REDIRECT_URI, new URL(REDIRECT_URI), other)).toBeUndefined();
  });

  it("shows a wrong password on the provider's own page", async () => {
    const { url } = await startSignIn(oidc, REDIRECT_URI);
    await expect(browserSignIn(url, 'sue', 'not-her-password')).rejects.toThrow('Wrong username or password.');
  });

  it("signs out at the provider's end-session endpoint, back to the console", async () => {
    const address = signOutAddress(await discover(oidc.issuer), oidc.clientId, REDIRECT_URI);
    expect(address).toBe(`${idp.issuer}/session/end?client_id=${idp.clientId}&post_logout_redirect_uri=${encodeURIComponent(REDIRECT_URI)}`);
    expect((await fetch(address!)).status).toBe(200);
  });
});
