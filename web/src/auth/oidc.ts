/**
 * Production sign-in in the browser: the authorization code flow with PKCE (./oidc-flow.ts), its
 * one-time values kept in sessionStorage (this tab only) between leaving for the provider and
 * coming back. Nothing else is stored, and the provider's answer leaves the address bar at once.
 */
import { discover, finishSignIn, isCallback, signOutAddress, startSignIn, withoutCallbackParams, type OidcSettings, type PendingSignIn, type SignedIn } from './oidc-flow.js';

export { SignInError, type OidcSettings, type SignedIn } from './oidc-flow.js';

const PENDING = 'pathways.oidc.pending';

function takePending(): PendingSignIn | undefined {
  const stored = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  try {
    const pending = stored ? (JSON.parse(stored) as Partial<PendingSignIn>) : undefined;
    const valid = pending && [pending.state, pending.nonce, pending.codeVerifier].every((value) => typeof value === 'string');
    return valid ? (pending as PendingSignIn) : undefined;
  } catch {
    return undefined;
  }
}

/** Leaves for the identity provider's sign-in page; it sends the browser back to `redirectUri` (the console's origin + `/`). */
export async function beginSignIn(oidc: OidcSettings, redirectUri: string): Promise<void> {
  const { url, pending } = await startSignIn(oidc, redirectUri);
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(url.href);
}

/**
 * Finishes a sign-in when `currentUrl` is the provider sending the browser back; undefined when it
 * is not. The one-time values are spent and the code and state leave the address bar (and history)
 * whatever happens next; a refused sign-in throws SignInError.
 */
export async function completeSignIn(oidc: OidcSettings, redirectUri: string, currentUrl: URL): Promise<SignedIn | undefined> {
  if (!isCallback(currentUrl)) return undefined;
  const pending = takePending();
  history.replaceState(history.state, '', withoutCallbackParams(currentUrl));
  return finishSignIn(oidc, redirectUri, currentUrl, pending);
}

/**
 * Where to send the browser to sign out of the identity provider too, when it offers that; it comes
 * back to `postLogoutRedirectUri`, which the provider must have registered for the client.
 */
export async function signOutUrl(oidc: OidcSettings, postLogoutRedirectUri: string, idTokenHint?: string): Promise<string | undefined> {
  return signOutAddress(await discover(oidc.issuer), oidc.clientId, postLogoutRedirectUri, idTokenHint);
}
