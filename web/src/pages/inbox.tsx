import { useEffect, useRef, useState } from 'preact/hooks';
import type { InboxItem } from '../../../src/db/notifications.js';
import { api, query } from '../api.js';
import { orgName } from '../directory.js';
import { formatDate, label, t } from '../i18n.js';
import { href, setHashQuery, useHashQuery } from '../router.js';
import { setUnread, useUnread } from '../unread.js';
import { ErrorBox, Loading, PageTitle, useRequest } from '../ui.js';

/** A page of `GET /v1/notifications`: each notification a kind and its facts, never a personal value. */
type Listed = { unread: number; notifications: InboxItem[]; nextCursor: string | null };

/** The header's link to the inbox, with the unread count (none shown at zero); `page` is the address, asked again on each. */
export function InboxLink({ page }: { page: string }) {
  const count = useUnread(page);
  return (
    <a class="inbox-link" href={href('inbox')} aria-label={t('inbox.link', { count })}>
      {t('inbox.title')}
      {/* A space before the number: the name ("Inbox, 3 unread") then holds the words seen ("Inbox 3"). */}
      {count ? <> <span class="badge">{count}</span></> : null}
    </a>
  );
}

/** The facts of a notification as its sentence's arguments: stages and organisations by name, dates in the reader's way. */
function argumentsOf(data: InboxItem['data']): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(data)) {
    if (name === 'stages' && Array.isArray(value)) values[name] = value.map((stage) => label('stage', String(stage))).join(', ');
    if (typeof value === 'number') values[name] = value;
    if (typeof value !== 'string') continue;
    values[name] = name === 'stage' ? label('stage', value) : name === 'from' || name === 'to' ? orgName(value) : /^\d{4}-\d\d-\d\d/.test(value) ? formatDate(value) : value;
  }
  return values;
}

/**
 * What the person was told (`GET /v1/notifications`), newest first, unread ones in bold with a
 * marker; each marked read on its own or all at once. Unread or all is in the address; "More"
 * adds the next page below.
 */
export function InboxPage() {
  const state = useHashQuery().state === 'unread' ? 'unread' : 'all';
  const [shown, setShown] = useState<{ items: InboxItem[]; next?: string | null; error?: unknown; loading: boolean }>({ items: [], loading: true });
  const marking = useRequest();
  // Only the latest request's answer is shown: one for the other filter, still on its way, is dropped.
  const latest = useRef(0);
  const load = (cursor?: string | null) => {
    const request = ++latest.current;
    setShown((before) => ({ ...before, loading: true }));
    api<Listed>(`/v1/notifications${query({ state, limit: 25, cursor: cursor ?? undefined })}`).then(
      (page) => {
        if (request !== latest.current) return;
        setUnread(page.unread);
        setShown((before) => ({ items: [...(cursor ? before.items : []), ...page.notifications], next: page.nextCursor, loading: false }));
        // "More" goes while it loads: the keyboard goes on from the first of the page it added.
        if (cursor) setTimeout(() => document.getElementById(`n-${page.notifications[0]?.id}`)?.focus());
      },
      (error: unknown) => request === latest.current && setShown((before) => ({ ...before, error, loading: false })),
    );
  };
  useEffect(() => load(), [state]);
  const unread = useUnread();
  const mark = (body: { ids: string[] } | { all: true }) =>
    marking.run(async () => {
      setUnread((await api<{ unread: number }>('/v1/notifications/read', { method: 'POST', body })).unread);
      // All read: the list from its start (empty when unread ones are shown). One read: it stays in place, now plain,
      // and the keyboard stays there too.
      if ('all' in body) return load();
      setShown((before) => ({ ...before, items: before.items.map((n) => (body.ids.includes(n.id) ? { ...n, read: true } : n)) }));
      document.getElementById(`n-${body.ids[0]}`)?.focus();
    });
  const filter = (value: 'unread' | 'all') => (
    <button type="button" class={state === value ? '' : 'secondary'} aria-pressed={state === value} onClick={() => setHashQuery({ state: value === 'all' ? undefined : value })}>
      {t(`inbox.show.${value}`)}
    </button>
  );
  const items = shown.items;
  return (
    <section>
      <PageTitle>{t('inbox.title')}</PageTitle>
      <p class="buttons-inline" role="group" aria-label={t('inbox.filter')}>
        {filter('unread')}
        {filter('all')}
        {unread ? <button type="button" class="secondary" disabled={marking.busy} onClick={() => mark({ all: true })}>{t('inbox.markAll')}</button> : null}
      </p>
      <p role="status">{t('inbox.unread', { count: unread })}</p>
      <ErrorBox error={shown.error ?? marking.error} />
      <ul class="inbox">
        {items.map((n) => (
          <li key={n.id} id={`n-${n.id}`} tabIndex={-1} class={n.read ? '' : 'unread'}>
            <p id={`s-${n.id}`}>
              {n.read ? null : <span class="badge">{t('inbox.new')}</span>}
              {n.pathwayId ? <a href={href('pathways', n.pathwayId)}>{t(`notification.kind.${n.kind}`, argumentsOf(n.data))}</a> : t(`notification.kind.${n.kind}`, argumentsOf(n.data))}
            </p>
            <time class="muted" dateTime={n.createdAt}>{formatDate(n.createdAt, true)}</time>
            {n.read ? null : <button type="button" class="link" disabled={marking.busy} aria-describedby={`s-${n.id}`} onClick={() => mark({ ids: [n.id] })}>{t('inbox.markRead')}</button>}
          </li>
        ))}
      </ul>
      {shown.loading ? <Loading /> : !items.length && !shown.error ? <p>{t('inbox.none', { state })}</p> : null}
      {shown.next && !shown.loading ? <button type="button" class="secondary" onClick={() => load(shown.next)}>{t('inbox.more')}</button> : null}
    </section>
  );
}
