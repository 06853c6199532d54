/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Fetched when opened (pages/index.tsx): few people change how they get e-mail, and every page
// load would pay for it. The console's parts come in `kit` (see kit.ts).
import type { h } from 'preact';
import type { Kit } from './kit.js';

interface Preferences {
  email: 'each' | 'daily' | 'off';
  language: 'en' | 'ru' | null;
}

interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  date: string;
}

/** The e-mail pages, made of the console's parts. */
export function mailPages(kit: Kit) {
  const { h, Fragment, useEffect, useState, api, formatDate, t, ErrorBox, Field, Free, Loading, PageTitle, Select, useLoad, useRequest } = kit;

  /** How the signed-in person wants e-mail: each notification, a daily digest, or none; and in which language. */
  function MailSettingsPage(): h.JSX.Element {
    const loaded = useLoad(() => api<Preferences>('/v1/me/notification-preferences'), []);
    const [choice, setChoice] = useState<Preferences>();
    const [saved, setSaved] = useState(false);
    const { busy, error, run } = useRequest();
    useEffect(() => setChoice(loaded.data), [loaded.data]);
    const change = (next: Partial<Preferences>) => {
      setChoice({ ...choice!, ...next });
      setSaved(false);
    };
    const save = (event: Event) => {
      event.preventDefault();
      void run(async () => {
        setChoice(await api<Preferences>('/v1/me/notification-preferences', { method: 'PUT', body: choice }));
        setSaved(true);
      });
    };
    return (
      <>
        <PageTitle>{t('mail.settings')}</PageTitle>
        <ErrorBox error={loaded.error ?? error} />
        {!choice ? <Loading /> : (
          <form onSubmit={save}>
            <Field id="mail-email" label={t('mail.email')} hint={t('mail.digestHint')}>
              <Select id="mail-email" value={choice.email} options={['each', 'daily', 'off'].map((value) => ({ value, label: t(`mail.email.${value}`) }))}
                onChange={(email) => change({ email: email as Preferences['email'] })} />
            </Field>
            <Field id="mail-language" label={t('mail.language')}>
              <Select id="mail-language" value={choice.language ?? ''} options={['', 'en', 'ru'].map((value) => ({ value, label: t(`mail.language.${value || 'signIn'}`) }))}
                onChange={(language) => change({ language: (language || null) as Preferences['language'] })} />
            </Field>
            <button type="submit" disabled={busy}>{t('mail.save')}</button>
            {saved ? <p role="status">{t('mail.saved')}</p> : null}
          </form>
        )}
      </>
    );
  }

  /** Development: the e-mails `npm start`'s own mail catcher received, newest first. */
  function DevMailPage(): h.JSX.Element {
    const { data, error, reload } = useLoad(() => api<{ items: CaughtMail[] }>('/v1/dev/mail'), []);
    return (
      <>
        <PageTitle>{t('mail.dev')}</PageTitle>
        <p class="muted">{t('mail.devHint')} <button type="button" class="link" onClick={reload}>{t('mail.refresh')}</button></p>
        <ErrorBox error={error} />
        {!data ? (error ? null : <Loading />) : !data.items.length ? <p>{t('mail.none')}</p> : data.items.map((mail, i) => (
          <article key={i} class="mail">
            <h2><Free>{mail.subject}</Free></h2>
            <p class="muted">{formatDate(mail.date, true)} · <Free>{mail.to.join(', ')}</Free></p>
            <pre><Free>{mail.text}</Free></pre>
          </article>
        ))}
      </>
    );
  }

  return { MailSettingsPage, DevMailPage };
}
