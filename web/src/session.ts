import { jwtPayload } from './auth/oidc-flow.js';

/**
 * Who is signed in: the token lives in sessionStorage only (gone with the tab), never in a URL, a
 * cookie or lasting storage. Its claims are read for the pages to show; the API verifies it on each
 * call. The tabs of one browser share it over a BroadcastChannel (same origin only, nothing
 * stored): a new tab asks the open ones, a sign-in or sign-out in one reaches them all.
 */
export interface Session {
  token: string;
  expiresAt: number;
  actor: { id: string; role: 'coordinator' | 'staff' | 'supervisor'; org: string };
}

const KEY = 'pathways.session';

type Message = { kind: 'ask' } | { kind: 'session'; session: Session } | { kind: 'end' };

const channel: BroadcastChannel | undefined = typeof BroadcastChannel === 'function' ? new BroadcastChannel('pathways.session') : undefined;
let listener: (session: Session | undefined) => void = () => {};

/** The app hears here of a session another tab began or ended. */
export const whenSessionChanges = (changed: (session: Session | undefined) => void) => {
  listener = changed;
};

const post = (message: Message) => channel?.postMessage(message);

function keep(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

function claimsOf(token: string): Session['actor'] & { exp?: number } {
  const claims = jwtPayload(token) ?? {};
  return { id: String(claims.sub), role: claims.role as Session['actor']['role'], org: String(claims.org), exp: Number(claims.exp) };
}

export function startSession(token: string, expiresAt?: number): Session {
  const { exp, ...actor } = claimsOf(token);
  const session = { token, expiresAt: expiresAt ?? (exp ? exp * 1000 : Date.now() + 3600_000), actor };
  keep(session);
  post({ kind: 'session', session });
  return session;
}

export function currentSession(): Session | undefined {
  const stored = sessionStorage.getItem(KEY);
  if (!stored) return undefined;
  const session = JSON.parse(stored) as Session;
  if (session.expiresAt <= Date.now()) {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
  return session;
}

/** Ends the session in this tab and in every other tab of the browser. */
export function endSession(): void {
  sessionStorage.removeItem(KEY);
  post({ kind: 'end' });
}

channel?.addEventListener('message', (event: MessageEvent<Message>) => {
  const message = event.data;
  if (message.kind === 'ask') {
    const session = currentSession();
    if (session) post({ kind: 'session', session });
  } else if (message.kind === 'session') {
    // A session still valid, and not one this tab already has (two tabs answering say the same).
    if (message.session.expiresAt <= Date.now() || currentSession()?.token === message.session.token) return;
    keep(message.session);
    listener(message.session);
  } else if (message.kind === 'end' && sessionStorage.getItem(KEY)) {
    sessionStorage.removeItem(KEY);
    listener(undefined);
  }
});

/** A tab opened without a session asks the others for theirs, waiting at most `waitMs` for an answer. */
export function sessionFromOtherTabs(waitMs = 300): Promise<Session | undefined> {
  const known = currentSession();
  if (known || !channel) return Promise.resolve(known);
  return new Promise((resolve) => {
    const answered = (event: MessageEvent<Message>) => {
      if (event.data.kind !== 'session') return;
      channel.removeEventListener('message', answered);
      // The listener above has kept it by now (it was added first).
      resolve(currentSession());
    };
    channel.addEventListener('message', answered);
    setTimeout(() => {
      channel.removeEventListener('message', answered);
      resolve(currentSession());
    }, waitMs);
    post({ kind: 'ask' });
  });
}
