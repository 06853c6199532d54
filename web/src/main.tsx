import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { whenSignedOut } from './api.js';
import { consoleConfig, loadConfig } from './console-config.js';
import { loadDirectory, Org } from './directory.js';
import { t, chooseLanguage, language } from './i18n.js';
import { completeOidcSignIn, signOutEverywhere } from './pages/sign-in.js';
import { Pages, homeOf } from './pages/index.js';
import { SignIn } from './pages/sign-in.js';
import { SearchBox } from './pages/people.js';
import { InboxLink } from './pages/inbox.js';
import { homeIs, href, useRoute } from './router.js';
import { currentSession, endSession, sessionFromOtherTabs, whenSessionChanges, type Session } from './session.js';
import { Free, Loading, tx } from './ui.js';
import './style.css';

const LANGUAGE_KEY = 'pathways.language';

function Navigation({ session }: { session: Session }) {
  const links: Record<Session['actor']['role'], [string, string][]> = {
    // Coordinators answer referrals and transfers offered to their organisation: those wait in the worklist.
    coordinator: [['pathways', 'nav.pathways'], ['worklist', 'nav.worklist'], ['open', 'nav.open'], ['cohort', 'nav.cohort']],
    staff: [['worklist', 'nav.worklist']],
    supervisor: [['approvals', 'nav.approvals'], ['worklist', 'nav.worklist'], ['pathways', 'nav.pathways'], ['reports', 'nav.reports'], ['webhooks', 'nav.webhooks']],
  };
  // The oversight organisation's supervisors judge every emergency access,
  // And possible duplicates across organisations, which no organisation sees of the other.
  const review: [string, string][] = session.actor.role === 'supervisor' && session.actor.org === consoleConfig().oversightOrg
    ? [['emergency-review', 'nav.emergencyReview'], ['duplicate-review', 'nav.duplicateReview']]
    : [];
  return (
    <nav aria-label={t('nav.label')}>
      <ul>
        {[...links[session.actor.role], ...review].map(([path, key]) => (
          <li key={path}>
            <a href={href(path)}>{t(key)}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function LanguageSwitch({ onChange }: { onChange: (code: string) => void }) {
  return (
    <div class="language">
      <label for="language">{t('common.language')}</label>
      <select id="language" value={language()} onChange={(event) => onChange((event.target as HTMLSelectElement).value)}>
        {consoleConfig().languages.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Pages name organisations from the directory, so they wait for it once signed in; if it fails, ids show instead. */
function useDirectory(session: Session | undefined): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (session) void loadDirectory().catch(() => undefined).then(() => setReady(true));
  }, [session]);
  return ready;
}

function App() {
  const [, setLanguageCode] = useState(language());
  const [session, setSession] = useState<Session | undefined>(currentSession);
  const directoryReady = useDirectory(session);
  const route = useRoute();
  useEffect(() => whenSignedOut(() => setSession(undefined)), []);
  // The first page is shown at an empty address: the filters it puts there name it.
  if (session) homeIs(homeOf(session));
  // Signed in or out in another tab of this browser.
  useEffect(() => whenSessionChanges(setSession), []);
  const switchLanguage = async (code: string) => {
    await chooseLanguage(code);
    sessionStorage.setItem(LANGUAGE_KEY, code);
    setLanguageCode(code);
  };
  const signOut = () => {
    endSession();
    setSession(undefined);
    location.hash = '';
    void signOutEverywhere();
  };
  return (
    <>
      <a class="skip" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('common.skip')}
      </a>
      <header>
        <p class="brand">{t('app.name')}</p>
        {session ? <Navigation session={session} /> : null}
        {session ? (
          <div class="tools">
            <SearchBox />
            <InboxLink key={session.token} page={route.join('/')} />
          </div>
        ) : null}
        <div class="tools">
          <LanguageSwitch onChange={switchLanguage} />
          {session ? (
            <p class="who">
              {tx('common.actor', { id: <Free>{session.actor.id}</Free>, role: t(`role.${session.actor.role}`), org: <Org id={session.actor.org} /> })}{' '}
              <a href={href('mail-settings')}>{t('nav.mailSettings')}</a>{' '}
              {consoleConfig().mode === 'development' ? <><a href={href('dev', 'mail')}>{t('nav.devMail')}</a>{' '}</> : null}
              <button type="button" class="link" onClick={signOut}>
                {t('common.signOut')}
              </button>
            </p>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!session ? <SignIn onSignedIn={setSession} /> : directoryReady ? <Pages key={route.join('/')} session={session} route={route.length ? route : homeOf(session)} /> : <Loading />}
      </main>
    </>
  );
}

async function start() {
  const config = await loadConfig();
  const wanted = sessionStorage.getItem(LANGUAGE_KEY) ?? (navigator.language.slice(0, 2) || 'en');
  await chooseLanguage(config.languages.some((l) => l.code === wanted) ? wanted : 'en');
  await completeOidcSignIn(config);
  // A new tab takes the session of the browser's other tabs, if one is open.
  await sessionFromOtherTabs();
  const root = document.getElementById('app')!;
  // The page's placeholder text goes: the console takes the whole container.
  root.textContent = '';
  render(<App />, root);
}

void start();
