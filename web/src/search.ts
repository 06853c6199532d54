import { useEffect, useState } from 'preact/hooks';

/**
 * What the person searched for last. It names someone, so it lives in this page's memory only:
 * never in the address (the results page is `#/people`), the title or any storage; a reload forgets it.
 */
let current = { text: '', asked: 0 };
const listeners = new Set<() => void>();

/** Searches for `text` (again, if it is the same): the results page follows. */
export function searchFor(text: string): void {
  current = { text: text.trim(), asked: current.asked + 1 };
  for (const listener of listeners) listener();
}

/** The last search, and a count that changes each time one is asked (the same text asked again reloads). */
export function useSearched(): { text: string; asked: number } {
  const [value, setValue] = useState(current);
  useEffect(() => {
    const changed = () => setValue(current);
    listeners.add(changed);
    return () => void listeners.delete(changed);
  }, []);
  return value;
}
