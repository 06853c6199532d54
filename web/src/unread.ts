import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

/**
 * How many notifications the signed-in person has not read: one number the header's link shows and
 * the inbox page changes when it marks some read. Asked of the API (a cheap count) when the console
 * opens, on each new page, and every minute while the tab is in view, never more often than that.
 */
const EVERY_MS = 60_000;
let unread = 0;
const listeners = new Set<(count: number) => void>();

/** The count, as the inbox's answers already say it (a list read, some marked read): no request of its own. */
export function setUnread(count: number): void {
  unread = count;
  for (const listener of listeners) listener(count);
}

/** Asks the API for the count; a failure keeps the last one (the 401 of an ended session signs out by itself). */
const refresh = () => api<{ unread: number }>('/v1/notifications/unread').then(({ unread: count }) => setUnread(count), () => undefined);

/** The count; with `page` (the header's), asked again whenever it changes and a minute after the last time while the tab is in view. */
export function useUnread(page?: string): number {
  const [count, setCount] = useState(unread);
  useEffect(() => {
    listeners.add(setCount);
    return () => void listeners.delete(setCount);
  }, []);
  useEffect(() => {
    if (page === undefined) return;
    let timer: ReturnType<typeof setTimeout>;
    let asked = 0;
    const ask = () => {
      clearTimeout(timer);
      asked = Date.now();
      void refresh();
      timer = setTimeout(tick, EVERY_MS);
    };
    // A hidden tab asks nothing; back in view, it asks once a minute has passed since the last time.
    const tick = () => (document.hidden ? undefined : ask());
    const shown = () => !document.hidden && Date.now() - asked >= EVERY_MS && ask();
    ask();
    document.addEventListener('visibilitychange', shown);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', shown);
    };
  }, [page]);
  return count;
}
