/**
 * Signing in with an OpenID provider: the authorization code flow with PKCE, as a public client.
 * Discovery, the authorization address, the code exchange and the sign-out address; nothing here
 * touches the page (storage, address bar), so the browser (./oidc.ts) and the tests run the same code.
 */

/** What the console needs to sign in with an identity provider (config.console.oidc). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
  /** RFC 8707 resource indicator, so the access token is a JWT for the API. */
  resource?: string;
}

/** The parts of the provider's discovery document the flow uses. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  code_challenge_methods_supported?: string[];
}

/** One-time values of a sign-in under way, kept between leaving for the provider and coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignedIn {
  accessToken: string;
  /** When the access token expires, in milliseconds since the epoch. */
  expiresAt: number;
  idToken?: string;
}

/** A sign-in that was refused; `code` is the provider's OAuth error (access_denied, invalid_grant…) or one of ours. */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

type Fetch = typeof fetch;

/** The parameters a provider sends back to the redirect URI (RFC 6749 4.1.2, RFC 9207). */
const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'];
/** Accepted between our clock and the provider's for an ID token's expiry. */
const CLOCK_TOLERANCE_SECONDS = 60;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The claims of a JWT, unverified (the API verifies; the console only reads who signed in). */
export function jwtPayload(jwt: string): Record<string, unknown> | undefined {
  try {
    const part = jwt.split('.')[1] ?? '';
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const payload: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** 32 random bytes in base64url: 43 characters, as RFC 7636 asks of a code verifier. */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a code verifier (RFC 7636, 4.2). */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** The provider's discovery document, which must name the issuer it was asked for (OpenID Connect Discovery 4.3). */
export async function discover(issuer: string, fetchFn: Fetch = fetch): Promise<ProviderMetadata> {
  const response = await fetchFn(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new SignInError('discovery-failed', `The identity provider's discovery document answered ${response.status}.`);
  const metadata = (await response.json()) as Partial<ProviderMetadata>;
  if (metadata.issuer !== issuer) throw new SignInError('issuer-mismatch', 'The identity provider names another issuer than the one configured.');
  if (typeof metadata.authorization_endpoint !== 'string' || typeof metadata.token_endpoint !== 'string') {
    throw new SignInError('discovery-failed', 'The identity provider does not offer the authorization code flow.');
  }
  if (metadata.code_challenge_methods_supported && !metadata.code_challenge_methods_supported.includes('S256')) {
    throw new SignInError('discovery-failed', 'The identity provider does not offer PKCE with S256.');
  }
  return metadata as ProviderMetadata;
}

/** Where to send the browser to sign in, carrying the state, nonce and code challenge of `pending`. */
export async function authorizationUrl(metadata: ProviderMetadata, oidc: OidcSettings, redirectUri: string, pending: PendingSignIn): Promise<URL> {
  const url = new URL(metadata.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: redirectUri,
    scope: oidc.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await codeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
  };
  if (oidc.resource) params.resource = oidc.resource;
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** A new sign-in: the provider's authorization address, and the one-time values to keep until the browser comes back. */
export async function startSignIn(oidc: OidcSettings, redirectUri: string, fetchFn: Fetch = fetch): Promise<{ url: URL; pending: PendingSignIn }> {
  const metadata = await discover(oidc.issuer, fetchFn);
  const pending: PendingSignIn = { state: randomToken(), nonce: randomToken(), codeVerifier: randomToken() };
  return { url: await authorizationUrl(metadata, oidc, redirectUri, pending), pending };
}

/** Whether an address is the provider sending the browser back (with a code or an error). */
export function isCallback(url: URL): boolean {
  return url.searchParams.has('state') && (url.searchParams.has('code') || url.searchParams.has('error'));
}

/** The address without what the provider added, for the address bar and history (path, other parameters and hash kept). */
export function withoutCallbackParams(url: URL): string {
  const clean = new URL(url.href);
  for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name);
  return `${clean.pathname}${clean.search}${clean.hash}`;
}

/**
 * The ID token's claims that bind it to this sign-in: issuer, audience, nonce, expiry. Its signature
 * is not checked: it came straight from the token endpoint over TLS, which OpenID Connect Core
 * 3.1.3.7 accepts in its place, and the API verifies the access token on every call.
 */
function checkIdToken(idToken: string, issuer: string, clientId: string, nonce: string): void {
  const claims = jwtPayload(idToken);
  const audience = claims?.aud;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (
    !claims ||
    claims.iss !== issuer ||
    !audiences.includes(clientId) ||
    claims.nonce !== nonce ||
    typeof claims.exp !== 'number' ||
    claims.exp + CLOCK_TOLERANCE_SECONDS < Date.now() / 1000
  ) {
    throw new SignInError('invalid-id-token', 'The identity provider answered with an ID token for another sign-in.');
  }
}

/** Exchanges an authorization code for tokens at the token endpoint, proving the sign-in with its code verifier. */
export async function exchangeCode(
  metadata: ProviderMetadata,
  oidc: OidcSettings,
  redirectUri: string,
  code: string,
  pending: PendingSignIn,
  fetchFn: Fetch = fetch,
): Promise<SignedIn> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: oidc.clientId, code_verifier: pending.codeVerifier });
  if (oidc.resource) body.set('resource', oidc.resource);
  const asked = Date.now();
  const response = await fetchFn(metadata.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const description = typeof answer.error_description === 'string' ? answer.error_description : `The token endpoint answered ${response.status}.`;
    throw new SignInError(typeof answer.error === 'string' ? answer.error : 'token-request-failed', description);
  }
  if (typeof answer.access_token !== 'string' || String(answer.token_type).toLowerCase() !== 'bearer') {
    throw new SignInError('invalid-token-response', 'The identity provider did not issue a bearer access token.');
  }
  // The scope always holds openid (the configuration requires it): no ID token means no nonce was checked.
  if (typeof answer.id_token !== 'string') throw new SignInError('missing-id-token', 'The identity provider did not issue an ID token.');
  const idToken = answer.id_token;
  checkIdToken(idToken, metadata.issuer, oidc.clientId, pending.nonce);
  // Counted from before the request, so the console stops using the token a little early rather than late.
  const exp = jwtPayload(answer.access_token)?.exp;
  const expiresAt =
    typeof answer.expires_in === 'number' ? asked + answer.expires_in * 1000 : typeof exp === 'number' ? exp * 1000 : asked + 5 * 60_000;
  return { accessToken: answer.access_token, expiresAt, idToken };
}

/**
 * Finishes a sign-in the provider sent back to `callbackUrl`: undefined when the address is not a
 * callback; throws SignInError when the provider refused, when the state is not the one `pending`
 * kept (a sign-in started elsewhere, or already finished), or when the exchange fails.
 */
export async function finishSignIn(
  oidc: OidcSettings,
  redirectUri: string,
  callbackUrl: URL,
  pending: PendingSignIn | undefined,
  fetchFn: Fetch = fetch,
): Promise<SignedIn | undefined> {
  if (!isCallback(callbackUrl)) return undefined;
  const params = callbackUrl.searchParams;
  if (!pending || params.get('state') !== pending.state) {
    throw new SignInError('state-mismatch', 'This sign-in was not started in this tab, or is already finished: sign in again.');
  }
  const error = params.get('error');
  if (error) throw new SignInError(error, params.get('error_description') ?? 'The identity provider refused the sign-in.');
  const metadata = await discover(oidc.issuer, fetchFn);
  // RFC 9207: a provider that names itself in the answer must be the one that was asked.
  const iss = params.get('iss');
  if (iss !== null && iss !== metadata.issuer) throw new SignInError('issuer-mismatch', 'The answer came from another identity provider.');
  return exchangeCode(metadata, oidc, redirectUri, params.get('code')!, pending, fetchFn);
}

/**
 * Where to send the browser to sign out of the provider too (RP-Initiated Logout), when it offers
 * that. An ID token hint names the user in the address: pass it only to a provider that requires it.
 */
export function signOutAddress(metadata: ProviderMetadata, clientId: string, postLogoutRedirectUri: string, idTokenHint?: string): string | undefined {
  if (!metadata.end_session_endpoint) return undefined;
  const url = new URL(metadata.end_session_endpoint);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
  if (idTokenHint) url.searchParams.set('id_token_hint', idTokenHint);
  return url.href;
}
