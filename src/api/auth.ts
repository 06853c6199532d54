import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { Role, type Actor } from '../domain/model.js';
import { AppError } from '../errors.js';

/** What a token must say about its holder. */
const Claims = z.object({
  sub: z.string().min(1).max(200),
  role: Role,
  org: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/),
});

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
  return {
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key as Uint8Array, { issuer, audience, algorithms }));
      } catch (error) {
        const expired = error instanceof joseErrors.JWTExpired;
        throw new AppError('unauthorized', expired ? 'The token has expired.' : 'The token is not valid.');
      }
      const claims = Claims.safeParse(payload);
      if (!claims.success) throw new AppError('unauthorized', 'The token must carry sub, role (coordinator, staff or supervisor) and org.');
      return { id: claims.data.sub, role: claims.data.role, org: claims.data.org };
    },
  };
}

/** A development token for `npm run token`. */
export async function signDevToken(config: Config, actor: Actor, expiresIn = '12h'): Promise<string> {
  const token = new SignJWT({ role: actor.role, org: actor.org })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(actor.id)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (config.auth.issuer) token.setIssuer(config.auth.issuer);
  if (config.auth.audience) token.setAudience(config.auth.audience);
  return token.sign(await devSecret(config));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, from the verified token (routes under /v1 only). */
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; others get 403. */
    roles?: readonly Role[];
  }
}

/** Authenticates every request of the scope it is added to, then checks the route's roles. */
export function authenticate(verifier: TokenVerifier) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError('unauthorized', 'Send a token as Authorization: Bearer <JWT>.');
    }
    try {
      request.actor = await verifier.verify(header.slice('Bearer '.length).trim());
    } catch (error) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw error;
    }
    const roles = request.routeOptions.config.roles;
    if (roles && !roles.includes(request.actor.role)) {
      throw new AppError('forbidden', `This is for ${roles.join(' and ')} only.`, { reason: 'wrong-role' });
    }
  };
}
