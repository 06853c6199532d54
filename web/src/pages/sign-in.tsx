import { useState } from 'preact/hooks';
import { beginSignIn, completeSignIn, signOutUrl } from '../auth/oidc.js';
import type { ConsoleConfig } from '../console-config.js';
import { consoleConfig } from '../console-config.js';
import { t } from '../i18n.js';
import { startSession, type Session } from '../session.js';
import { ErrorBox, Field, PageTitle, useRequest } from '../ui.js';
import { api } from '../api.js';

/** Where the identity provider sends people back: the console's own page, without a hash or query. */
const redirectUri = () => `${location.origin}/`;

/** Why the last sign-in failed, shown on the sign-in page. */
let failure: unknown;

/** Finishes a sign-in the identity provider sent back (the code in the address), before the console renders. */
export async function completeOidcSignIn(config: ConsoleConfig): Promise<void> {
  if (config.signIn.kind !== 'oidc') return;
  try {
    const signedIn = await completeSignIn(config.signIn, redirectUri(), new URL(location.href));
    if (signedIn) startSession(signedIn.accessToken, signedIn.expiresAt);
  } catch (error) {
    failure = error;
  }
}

/** Signing out ends the session at the identity provider too, so the next person at this computer must sign in. */
export async function signOutEverywhere(): Promise<void> {
  const { signIn } = consoleConfig();
  if (signIn.kind !== 'oidc') return;
  // No id_token_hint: the ID token would sit in an address; the provider asks the person to confirm instead.
  const address = await signOutUrl(signIn, redirectUri()).catch(() => undefined);
  if (address) location.assign(address);
}

function DevelopmentSignIn({ identities, onSignedIn }: { identities: { id: string; role: string; org: string }[]; onSignedIn: (session: Session) => void }) {
  const [chosen, setChosen] = useState(identities[0]?.id ?? '');
  const { error, run } = useRequest();
  const orgs = [...new Set(identities.map((identity) => identity.org))];
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const { token, expiresAt } = await api<{ token: string; expiresAt: string }>('/console/dev-token', { method: 'POST', body: { id: chosen } });
      onSignedIn(startSession(token, Date.parse(expiresAt)));
    });
  };
  return (
    <form onSubmit={submit}>
      <p>{t('signIn.developmentHint')}</p>
      <Field id="identity" label={t('signIn.identity')}>
        <select id="identity" value={chosen} onChange={(event) => setChosen((event.target as HTMLSelectElement).value)}>
          {orgs.map((org) => (
            <optgroup key={org} label={org}>
              {identities.filter((identity) => identity.org === org).map((identity) => (
                <option key={identity.id} value={identity.id}>
                  {identity.id} ({t(`role.${identity.role}`)})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </Field>
      <button type="submit">{t('signIn.submit')}</button>
      <ErrorBox error={error} />
    </form>
  );
}

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const { signIn } = consoleConfig();
  const [error, setError] = useState<unknown>(failure);
  return (
    <section>
      <PageTitle>{t('signIn.title')}</PageTitle>
      {signIn.kind === 'development' ? <DevelopmentSignIn identities={signIn.identities} onSignedIn={onSignedIn} /> : null}
      {signIn.kind === 'oidc' ? (
        <button type="button" onClick={() => beginSignIn(signIn, redirectUri()).catch(setError)}>
          {t('signIn.withProvider')}
        </button>
      ) : null}
      {signIn.kind === 'none' ? <p>{t('signIn.notConfigured')}</p> : null}
      {error ? <p class="error" role="alert">{t('signIn.failed')}</p> : null}
    </section>
  );
}
