/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Fetched when opened (pages/index.tsx): few people manage webhooks, and every page load would pay
// for it. The console's parts come in `kit` (see kit.ts), so this script imports nothing.
// The JSX types come with preact's `h`; the function itself is the kit's.
import type { h } from 'preact';
import type { Kit } from './kit.js';

interface Webhook {
  id: string;
  url: string;
  description: string;
  enabled: boolean;
  status: 'active' | 'disabled' | 'paused';
  pausedAt: string | null;
  pausedReason: string | null;
  pending: number;
  held: number;
}

interface Delivery {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  sentAt: string | null;
  createdAt: string;
}

/** The webhooks pages, made of the console's parts. */
export function webhookPages(kit: Kit) {
  const { h, Fragment, useState, api, query, formatDate, t, problemMessages, href, useAddressPage, describedBy, Labelled, ErrorBox, Free, Loading, PageButtons, PageTitle, Table, useLoad, useRequest, Confirm } = kit;
  const path = (id?: string, sub = '') => `/v1/webhooks${id ? `/${encodeURIComponent(id)}${sub}` : ''}`;

  /** A secret is shown once, as it is made: the receiving system keeps it. */
  function SecretBox({ secret }: { secret: string }) {
    const [copied, setCopied] = useState(false);
    return (
      <div class="confirm" role="status">
        <p>{t('webhook.secretOnce')}</p>
        <p><code class="free">{secret}</code></p>
        <button type="button" class="secondary" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}>
          {copied ? t('webhook.copied') : t('webhook.copy')}
        </button>
      </div>
    );
  }

  function AddWebhook({ onAdded }: { onAdded: (secret: string) => void }) {
    const [url, setUrl] = useState('');
    const [description, setDescription] = useState('');
    const { busy, error, run } = useRequest();
    const fields = error ? problemMessages(error).fields : {};
    const submit = (event: Event) => {
      event.preventDefault();
      void run(async () => {
        const made = await api<{ secret: string }>(path(), { method: 'POST', body: { url: url.trim(), description: description.trim() } });
        setUrl('');
        setDescription('');
        onAdded(made.secret);
      });
    };
    return (
      <form onSubmit={submit} noValidate aria-labelledby="webhook-add">
        <h2 id="webhook-add">{t('webhook.add')}</h2>
        <Labelled id="webhook-url" label={`${t('webhook.url')} *`} hint={t('webhook.urlHint')} message={fields['/url']}>
          <input id="webhook-url" type="url" required value={url} aria-invalid={fields['/url'] ? true : undefined}
            aria-describedby={describedBy('webhook-url', true, fields['/url'])} onInput={(e: Event) => setUrl((e.target as HTMLInputElement).value)} />
        </Labelled>
        <Labelled id="webhook-description" label={t('webhook.description')} message={fields['/description']}>
          <input id="webhook-description" maxLength={200} value={description} aria-describedby={describedBy('webhook-description', false, fields['/description'])}
            onInput={(e: Event) => setDescription((e.target as HTMLInputElement).value)} />
        </Labelled>
        <button type="submit" disabled={busy || !url.trim()}>{t('webhook.add')}</button>
        <ErrorBox error={error} />
      </form>
    );
  }

  /** A failure as the API codes it (HTTP 500, ECONNREFUSED…), with words for those that have none. */
  const failure = (error: string | null) => (error === 'timeout' ? t('webhook.timeout') : error === 'no-answer' ? t('webhook.noAnswer') : error ?? '');
  const statusText = (hook: Webhook) =>
    hook.status === 'paused' ? t('webhook.status.paused', { date: formatDate(hook.pausedAt, true), reason: failure(hook.pausedReason) }) : t(`webhook.status.${hook.status}`);

  /** The organisation's webhooks: add, switch off and on (resuming a paused one), a new secret, remove, and each one's deliveries. */
  function WebhooksPage(): h.JSX.Element {
    const loaded = useLoad(() => api<{ items: Webhook[] }>(path()), []);
    const { busy, error, run } = useRequest();
    const [secret, setSecret] = useState<string>();
    const [removing, setRemoving] = useState<Webhook>();
    const act = (work: () => Promise<unknown>) => run(async () => { await work(); loaded.reload(); });
    const items = loaded.data?.items ?? [];
    return (
      <section>
        <PageTitle>{t('nav.webhooks')}</PageTitle>
        <p>{t('webhook.explain')}</p>
        {secret ? <SecretBox secret={secret} /> : null}
        {loaded.loading && !loaded.data ? <Loading /> : null}
        <ErrorBox error={loaded.error ?? error} />
        {loaded.data ? (
          <Table caption={t('webhook.listCaption', { count: items.length })}>
            <thead>
              <tr><th scope="col">{t('webhook.url')}</th><th scope="col">{t('webhook.statusColumn')}</th><th scope="col">{t('webhook.waiting')}</th><th scope="col">{t('webhook.actions')}</th></tr>
            </thead>
            <tbody>
              {items.map((hook) => (
                <tr key={hook.id}>
                  <td><Free>{hook.url}</Free>{hook.description ? <><br /><Free>{hook.description}</Free></> : null}</td>
                  <td>{statusText(hook)}</td>
                  <td>{t('webhook.counts', { pending: hook.pending, held: hook.held })}</td>
                  <td>
                    <div class="buttons-inline">
                      <button type="button" class="secondary" disabled={busy} onClick={() => act(() => api(path(hook.id), { method: 'PATCH', body: { enabled: hook.status !== 'active' } }))}>
                        {t(hook.status === 'active' ? 'webhook.switchOff' : hook.status === 'paused' ? 'webhook.resume' : 'webhook.switchOn')}
                      </button>
                      <button type="button" class="secondary" disabled={busy}
                        onClick={() => act(async () => setSecret((await api<{ secret: string }>(path(hook.id, '/rotate-secret'), { method: 'POST' })).secret))}>
                        {t('webhook.rotate')}
                      </button>
                      <button type="button" class="secondary" disabled={busy} onClick={() => setRemoving(hook)}>{t('webhook.remove')}</button>
                      <a href={href('webhooks', hook.id)}>{t('webhook.deliveries')}</a>
                    </div>
                    {removing?.id === hook.id ? (
                      <Confirm id="webhook-remove" yes={t('webhook.removeYes')} busy={busy} onBack={() => setRemoving(undefined)}
                        onYes={() => void act(() => api(path(hook.id), { method: 'DELETE' })).then(() => setRemoving(undefined))}>
                        <p>{t('webhook.removeConfirm')}</p>
                      </Confirm>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
        {loaded.data && !items.length ? <p>{t('webhook.none')}</p> : null}
        <AddWebhook onAdded={(made) => { setSecret(made); loaded.reload(); }} />
      </section>
    );
  }

  /** One webhook's deliveries, newest first: what was sent, what waits, and why it failed. */
  function WebhookDeliveriesPage({ id }: { id: string }) {
    const { cursor, first, next } = useAddressPage();
    const loaded = useLoad(() => api<{ items: Delivery[]; nextCursor: string | null }>(`${path(id, '/deliveries')}${query({ cursor })}`), [id, cursor]);
    const items = loaded.data?.items ?? [];
    return (
      <section>
        <PageTitle>{t('webhook.deliveries')}</PageTitle>
        <p><a href={href('webhooks')}>{t('nav.webhooks')}</a></p>
        {loaded.loading && !loaded.data ? <Loading /> : null}
        <ErrorBox error={loaded.error} />
        {loaded.data ? (
          <>
            <Table caption={t('webhook.logCaption', { count: items.length })}>
              <thead>
                <tr>
                  <th scope="col">{t('webhook.kind')}</th><th scope="col">{t('webhook.statusColumn')}</th><th scope="col">{t('webhook.attempts')}</th>
                  <th scope="col">{t('webhook.lastError')}</th><th scope="col">{t('webhook.sentAt')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={d.id}>
                    <td><code>{d.kind}</code><br /><small class="muted">{formatDate(d.createdAt, true)}</small></td>
                    <td>{t(`webhook.delivery.${d.status}`)}</td>
                    <td>{d.attempts}</td>
                    <td>{d.lastError ? <Free>{failure(d.lastError)}</Free> : null}</td>
                    <td>{formatDate(d.sentAt, true)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {!items.length ? <p>{t('webhook.logEmpty')}</p> : null}
            <PageButtons first={first} next={next(loaded.data.nextCursor)} />
          </>
        ) : null}
      </section>
    );
  }

  return { WebhooksPage, WebhookDeliveriesPage };
}
