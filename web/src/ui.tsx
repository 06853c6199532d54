import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { problemMessages, fieldName } from './problem-messages.js';
import { t } from './i18n.js';

/** Loads once (and again on `reload`), with the error kept for the page to show. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  // Only the latest request's answer is shown: a slower, older one (Back then Forward) cannot overwrite it.
  const latest = useRef(0);
  const reload = useCallback(() => {
    const request = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => request === latest.current && setState({ data, loading: false }),
      (error: unknown) => request === latest.current && setState({ error, loading: false }),
    );
  }, deps);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

/** A request a button starts: busy while it runs, what went wrong kept for the page to show. */
export function useRequest() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/**
 * Text a person wrote or chose (a name, a sign-in id, a note): isolated, so a right-to-left name or
 * a direction override in it cannot reorder the words around it, and wrapping anywhere, so one long
 * word cannot widen the page. Its letters are shown as they came: nothing is stripped.
 */
export const Free = ({ children, title }: { children: ComponentChildren; title?: string }) => (
  <bdi class="free" title={title}>
    {children}
  </bdi>
);

/** The same where only text may go (an option of a select): between first-strong and pop directional isolates. */
export const isolated = (text: string) => `\u2068${text}\u2069`;

/** `t` with parts that are elements (a name isolated, an organisation), where the language puts them. */
export const tx = (key: string, parts: Record<string, ComponentChildren>): ComponentChildren[] =>
  // Each part goes through the message format as a marker, then the text is cut at the markers.
  t(key, Object.fromEntries(Object.keys(parts).map((name) => [name, `\u0000${name}\u0000`])))
    .split(/\u0000(\w+)\u0000/)
    .map((piece, i) => (i % 2 ? parts[piece] : piece));

/** Items one after another, with `separator` between them. */
export const joined = (items: ComponentChildren[], separator = ', '): ComponentChildren[] => items.flatMap((item, i) => (i ? [separator, item] : [item]));

/** The page's heading, focused when the page changes so a screen reader and the keyboard start there. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** What went wrong, in the user's language, from the problem's codes; the API's words only when it gave no code the console knows. */
export function problemText(error: unknown): ComponentChildren {
  const { summary, detail } = problemMessages(error);
  return detail ? <>{summary} — <Free>{detail}</Free></> : summary;
}

/** The whole problem, each field at fault by its name (a form shows them beside its fields too). */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const fields = Object.entries(problemMessages(error).fields);
  return (
    <div class="error" role="alert">
      <p>{problemText(error)}</p>
      {fields.length ? (
        <ul>
          {fields.map(([pointer, message]) => {
            const name = fieldName(pointer);
            return <li key={pointer}>{name ? `${name}: ${message}` : message}</li>;
          })}
        </ul>
      ) : null}
    </div>
  );
}

/** Each body cell carries its column's heading (`data-label`), which a phone shows beside it when rows become cards. */
function labelCells(table: HTMLTableElement) {
  const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
  for (const row of table.tBodies[0]?.rows ?? []) {
    [...row.cells].forEach((cell, index) => {
      const heading = headings[index] ?? '';
      if (cell.getAttribute('data-label') !== heading) cell.setAttribute('data-label', heading);
    });
  }
}

/**
 * A table of rows, any page's: below 700 px each row is a card of its cells, each under its column's
 * heading (style.css), so nothing is off screen. Wider, a table wider than its box scrolls by itself,
 * never the page, and is then a region the keyboard can reach and scroll.
 */
export function Table({ caption, children }: { caption: string; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const box = ref.current!;
    const table = box.firstElementChild as HTMLTableElement;
    const observer = new ResizeObserver(() => setScrolls(box.scrollWidth > box.clientWidth));
    observer.observe(box);
    observer.observe(table);
    labelCells(table);
    // Rows come and go as the page loads more or changes language: each new cell is labelled too.
    const rows = new MutationObserver(() => labelCells(table));
    rows.observe(table, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      rows.disconnect();
    };
  }, []);
  return (
    <div ref={ref} class="wide" {...(scrolls ? { role: 'region', 'aria-label': caption, tabIndex: 0 } : {})}>
      <table>
        <caption>{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** A list's pages: back to the first, the one before, the next; each only when there is one. */
export function PageButtons({ first, previous, next }: { first?: () => void; previous?: () => void; next?: () => void }) {
  if (!first && !previous && !next) return null;
  return (
    <p class="buttons-inline pages">
      {first ? <button type="button" class="secondary" onClick={first}>{t('common.firstPage')}</button> : null}
      {previous ? <button type="button" class="secondary" onClick={previous}>{t('common.previous')}</button> : null}
      {next ? <button type="button" onClick={next}>{t('common.next')}</button> : null}
    </p>
  );
}

export const Loading = () => (
  <p class="muted" role="status">
    {t('common.loading')}
  </p>
);

export function Field(props: { id: string; label: string; children: ComponentChildren; hint?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <small id={`${props.id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

export function Select(props: { id: string; value: string; options: { value: string; label: string }[]; onChange: (value: string) => void; required?: boolean }) {
  return (
    <select id={props.id} value={props.value} required={props.required} onChange={(event) => props.onChange((event.target as HTMLSelectElement).value)}>
      {props.options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
