import { useEffect, useState } from 'preact/hooks';

/**
 * Pages are addressed by the hash (`#/pathways/<id>`): ids only, never a name, so nothing
 * personal reaches the address bar, the history or a server log. A list's filters and page go in
 * the hash's query (`#/pathways?phase=2&after=…`), so Back and Forward and a bookmark bring them
 * back: codes, dates, group ids and cursors only, never a name or a search query.
 */
const split = () => {
  const hash = location.hash.replace(/^#\/?/, '');
  const at = hash.indexOf('?');
  return at < 0 ? { path: hash, search: '' } : { path: hash.slice(0, at), search: hash.slice(at + 1) };
};

const readRoute = () => split().path.split('/').filter(Boolean).map(decodeURIComponent);
const readQuery = (): Record<string, string> => Object.fromEntries(new URLSearchParams(split().search));

/** Re-reads `read` whenever the hash changes (a link, Back, Forward, or a page changing its filters). */
function useHash<T>(read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    // The same value keeps its identity: nothing that depends on it runs again for nothing.
    const changed = () => setValue((before) => {
      const next = read();
      return JSON.stringify(next) === JSON.stringify(before) ? before : next;
    });
    addEventListener('hashchange', changed);
    // A change between the first render and now (Back then Forward at once) fired no event here: read it again.
    changed();
    return () => removeEventListener('hashchange', changed);
  }, []);
  return value;
}

/** The page's path, without its query. */
export const useRoute = (): string[] => useHash(readRoute);

/** The hash's query: the filters and page a list shows. */
export const useHashQuery = (): Record<string, string> => useHash(readQuery);

/** The values that are set, as a query (names sorted, so one list has one address). */
const searchOf = (values: Record<string, string | undefined>) => {
  const params = new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => !!entry[1]).sort(([a], [b]) => a.localeCompare(b)));
  const text = params.toString();
  return text ? `?${text}` : '';
};

export const href = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;
export const go = (...parts: string[]) => {
  location.hash = href(...parts);
};

/** The page an empty address shows (the signed-in person's first page). */
let home: string[] = [];
export const homeIs = (route: string[]) => {
  home = route;
};

/** Shows the same page with other filters: a new entry of the browser's history, so Back goes to the ones before. */
export function setHashQuery(values: Record<string, string | undefined>): void {
  const path = split().path || home.map(encodeURIComponent).join('/');
  const next = `#/${path}${searchOf(values)}`;
  if (next !== location.hash) location.hash = next;
}

/**
 * A list's page in the address (`after=` the cursor of the page shown), beside its filters: the
 * cursor to ask for, and the moves to the next page (given the list's next cursor) or back to the first.
 */
export function useAddressPage(filters: Record<string, string | undefined> = {}) {
  const cursor = useHashQuery().after;
  return {
    cursor,
    first: cursor ? () => setHashQuery(filters) : undefined,
    next: (nextCursor: string | null | undefined) => (nextCursor ? () => setHashQuery({ ...filters, after: nextCursor }) : undefined),
  };
}
