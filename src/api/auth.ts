import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { Role, type Actor } from '../domain/model.js';
import { textProblem } from '../domain/text.js';
import { AppError } from '../errors.js';

/** What a token must say about its holder. */
const Claims = z.object({
  // The subject is written to the audit trail: the same text rule as every other stored string.
  sub: z.string().min(1).max(200).refine((sub) => textProblem(sub) === undefined, 'must be well-formed text'),
  role: Role,
  org: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/),
  // Required and checked by jose already; read here for how long the verified token may be remembered.
  exp: z.number(),
  iat: z.number(),
  // Where e-mail goes and in which language (OpenID Connect's standard claims); a malformed one is ignored, not refused.
  email: z.string().max(254).regex(/^[^\s@]+@[^\s@]+$/).optional().catch(undefined),
  locale: z.string().max(35).optional().catch(undefined),
});

/** How to reach a signed-in person, as their token says: kept beside the actor, never in the audit trail. */
export interface Contact {
  email?: string;
  /** A console language (en, ru) when the token's locale is one. */
  language?: string;
}
const contacts = new WeakMap<Actor, Contact>();
export const contactOf = (actor: Actor): Contact => contacts.get(actor) ?? {};
const LANGUAGES = new Set(['en', 'ru']);

/**
 * How long a token is accepted after it was issued (its `iat`), whatever its `exp` says: a
 * leaked token is useful for a day at most. Identity providers issue shorter-lived ones.
 */
export const MAX_TOKEN_AGE_SECONDS = 24 * 60 * 60;
/** How far the issuer's clock may be from ours, for `exp`, `nbf` and a not-yet-reached `iat`. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/** Exactly `Bearer <JWS compact serialization>`: one space, three base64url parts (the scheme's case is free, RFC 9110). */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

export interface TokenVerifier {
  /** The actor a bearer token stands for; throws a 401 AppError when it is not valid. */
  verify(token: string): Promise<Actor>;
}

/** The development signing secret: from config, or generated once and kept under the data folder. */
export async function devSecret(config: Config): Promise<Uint8Array> {
  if (config.mode === 'production') throw new Error('Development tokens are refused when NODE_ENV=production.');
  if (config.auth.devSecret) return new TextEncoder().encode(config.auth.devSecret);
  const file = path.join(config.dataDir, 'dev-jwt-secret');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return new TextEncoder().encode(existing.trim());
  const secret = randomBytes(32).toString('base64url');
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return new TextEncoder().encode((await readFile(file, 'utf8')).trim());
}

/** Verifies with the identity provider's JWKS in production, with the development secret otherwise. */
export async function createVerifier(config: Config): Promise<TokenVerifier> {
  const { jwksUrl, issuer, audience } = config.auth;
  const key: Uint8Array | JWTVerifyGetKey = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl)) : await devSecret(config);
  const algorithms = jwksUrl ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['HS256'];
  const verified = new VerifiedTokens();
  const organisations = new Set(config.organisations.map((o) => o.id));
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known) return known;
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key as Uint8Array, {
          issuer,
          audience,
          algorithms,
          // jose refuses an iat in the future (beyond the tolerance) only when maxTokenAge is set.
          requiredClaims: ['exp', 'iat'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        }));
      } catch (error) {
        throw new AppError('unauthorized', refusal(error));
      }
      const claims = Claims.safeParse(payload);
      if (!claims.success) throw new AppError('unauthorized', 'The token must carry sub, role (coordinator, staff or supervisor) and org.');
      const { sub, role, org, exp, iat, email, locale } = claims.data;
      // An organisation is one the directory declares, spelt exactly: no other is anybody's.
      if (!organisations.has(org)) throw new AppError('unauthorized', 'The token names an organisation this service does not know.');
      const actor: Actor = { id: sub, role, org };
      const language = locale?.slice(0, 2).toLowerCase();
      contacts.set(actor, { email, language: language && LANGUAGES.has(language) ? language : undefined });
      verified.set(token, actor, Math.min(exp + CLOCK_TOLERANCE_SECONDS, iat + MAX_TOKEN_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000);
      return actor;
    },
  };
}

/**
 * Tokens verified in the last minute, so a client's requests do not each pay a signature check:
 * keyed by the whole token, kept until the first of a minute, the moment the token itself would
 * be refused (expiry or age, with the same tolerance), and the 10,000 most recent.
 */
class VerifiedTokens {
  static readonly TTL_MS = 60_000;
  static readonly MAX = 10_000;
  private readonly tokens = new Map<string, { actor: Actor; until: number }>();

  get(token: string): Actor | undefined {
    const entry = this.tokens.get(token);
    if (entry && Date.now() < entry.until) return entry.actor;
    if (entry) this.tokens.delete(token);
    return undefined;
  }

  set(token: string, actor: Actor, refusedFrom: number): void {
    if (this.tokens.size >= VerifiedTokens.MAX) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(token, { actor, until: Math.min(refusedFrom, Date.now() + VerifiedTokens.TTL_MS) });
  }
}

/** Why a token was refused, in words that help its holder and tell an attacker nothing. */
function refusal(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.reason === 'missing' && (error.claim === 'exp' || error.claim === 'iat')) {
    return 'The token must carry iat and exp.';
  }
  return 'The token is not valid.';
}

/** A development token for `npm run token`; it lives at most MAX_TOKEN_AGE_SECONDS. */
export async function signDevToken(config: Config, actor: Actor, expiresIn = '12h', contact: { email?: string; locale?: string } = {}): Promise<string> {
  const token = new SignJWT({ role: actor.role, org: actor.org, ...contact })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(actor.id)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (config.auth.issuer) token.setIssuer(config.auth.issuer);
  if (config.auth.audience) token.setAudience(config.auth.audience);
  const signed = await token.sign(await devSecret(config));
  const { iat = 0, exp = 0 } = decodeJwt(signed);
  if (exp - iat > MAX_TOKEN_AGE_SECONDS) throw new Error(`A token is accepted for ${MAX_TOKEN_AGE_SECONDS / 3600}h at most: ask for less with --expires.`);
  return signed;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, from the verified token (routes under /v1 only, once authorized). */
    actor: Actor;
    /** Why the request is not authenticated, when it is not: set by `identify`, thrown by `authorize`. */
    authFailure?: { error: unknown; challenge: string };
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; others get 403. */
    roles?: readonly Role[];
    /**
     * For routes under /v1/pathways/:id, what the route does with the pathway (src/pathways/access.ts):
     * `read` its state, `act` on it, `audit` its trail, or ask for `emergency` access to it. The
     * organisation scoping tests derive what every reader must get from it.
     */
    pathwayAccess?: 'read' | 'act' | 'audit' | 'emergency';
  }
}

/**
 * Finds out who sent the request without refusing it yet, so that the rate limit, which runs
 * next, counts failed authentications too. Sets `request.actor` or `request.authFailure`.
 */
export function identify(verifier: TokenVerifier) {
  return async (request: FastifyRequest) => {
    const bearer = BEARER.exec(request.headers.authorization ?? '');
    if (!bearer) {
      request.authFailure = { error: new AppError('unauthorized', 'Send a token as Authorization: Bearer <JWT>.'), challenge: 'Bearer' };
      return;
    }
    try {
      request.actor = await verifier.verify(bearer[1]!);
    } catch (error) {
      request.authFailure = { error, challenge: 'Bearer error="invalid_token"' };
    }
  };
}

/** The verified actor of a request, if `identify` found one. */
export function actorOf(request: FastifyRequest): Actor | undefined {
  return request.authFailure ? undefined : (request.actor as Actor | undefined);
}

/** Refuses what `identify` could not authenticate (401), then a role the route does not allow (403). */
export async function authorize(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.authFailure) {
    reply.header('www-authenticate', request.authFailure.challenge);
    throw request.authFailure.error;
  }
  const roles = request.routeOptions.config.roles;
  if (roles && !roles.includes(request.actor.role)) {
    throw new AppError('forbidden', `This is for ${roles.join(' and ')} only.`, { reason: 'wrong-role', why: { code: 'roles-only', params: { roles: [...roles] } } });
  }
}
