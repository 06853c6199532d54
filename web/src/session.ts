import { jwtPayload } from './auth/oidc-flow.js';

/**
 * Who is signed in: the token lives in sessionStorage only (gone with the tab), never in a URL or
 * lasting storage. Its claims are read for the pages to show; the API verifies it on each call.
 */
export interface Session {
  token: string;
  expiresAt: number;
  actor: { id: string; role: 'coordinator' | 'staff' | 'supervisor'; org: string };
}

const KEY = 'pathways.session';

function claimsOf(token: string): Session['actor'] & { exp?: number } {
  const claims = jwtPayload(token) ?? {};
  return { id: String(claims.sub), role: claims.role as Session['actor']['role'], org: String(claims.org), exp: Number(claims.exp) };
}

export function startSession(token: string, expiresAt?: number): Session {
  const { exp, ...actor } = claimsOf(token);
  const session = { token, expiresAt: expiresAt ?? (exp ? exp * 1000 : Date.now() + 3600_000), actor };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function currentSession(): Session | undefined {
  const stored = sessionStorage.getItem(KEY);
  if (!stored) return undefined;
  const session = JSON.parse(stored) as Session;
  if (session.expiresAt <= Date.now()) {
    endSession();
    return undefined;
  }
  return session;
}

export function endSession(): void {
  sessionStorage.removeItem(KEY);
}
