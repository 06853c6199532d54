import { useEffect, useRef } from 'preact/hooks';
import { api, ApiError, mayNotHaveArrived, type Problem } from '../api.js';
import { t } from '../i18n.js';
import type { ShownPerson } from '../person.js';
import { Free, problemText } from '../ui.js';

/** A row the console may act on in bulk: one pathway (for a referral, one stage of it) and who it is for. */
export interface BulkRow {
  key: string;
  pathwayId: string;
  person: ShownPerson;
  /** The stage referred to the caller's organisation, when the row is about that stage alone. */
  stage?: string;
}

export type BulkKind = 'release' | 'claim' | 'assign';

/** What a bulk step sends: one action per row, each with an id of its own kept for sending again. */
export interface BulkItem {
  pathwayId: string;
  actionId: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface BulkResult {
  status: 'done' | 'refused' | 'failed';
  problem?: Problem;
}

export interface Outcome {
  kind: BulkKind;
  lines: { row: BulkRow; item: BulkItem; result?: BulkResult }[];
}

/** The API takes at most this many items a request (MAX_BULK_ITEMS). */
const PER_REQUEST = 200;

/** Each row's action: a referred stage is claimed or assigned alone, as a single claim does. */
export function itemsFor(kind: BulkKind, rows: BulkRow[], assign?: { assignee: string; org: string }): Outcome {
  const stage = (row: BulkRow) => (row.stage ? { stage: row.stage } : {});
  const action = (row: BulkRow) =>
    kind === 'release'
      ? { type: 'quarantine.release', payload: {} }
      : kind === 'claim'
        ? { type: 'pathway.claim', payload: stage(row) }
        : { type: 'pathway.assign', payload: { ...assign, ...stage(row) } };
  return { kind, lines: rows.map((row) => ({ row, item: { pathwayId: row.pathwayId, actionId: crypto.randomUUID(), ...action(row) } })) };
}

/**
 * Sends the lines without a final answer (all at first; then those that failed) and records each
 * one's result. A request without an answer leaves its lines failed: sent again with the same
 * actionIds, nothing is recorded twice.
 */
export async function sendLines(outcome: Outcome): Promise<Outcome> {
  const results = new Map<string, BulkResult>();
  const open = outcome.lines.filter((line) => !line.result || line.result.status === 'failed').map((line) => line.item);
  for (let start = 0; start < open.length; start += PER_REQUEST) {
    const items = open.slice(start, start + PER_REQUEST);
    try {
      const answer = await api<{ results: (BulkResult & { actionId: string })[] }>('/v1/bulk-actions', { method: 'POST', body: { items } });
      for (const result of answer.results) results.set(result.actionId, result);
    } catch (error) {
      // The whole request refused (or unanswered): each of its lines says so, none is left silent.
      const problem = error instanceof ApiError ? error.problem : undefined;
      const status = mayNotHaveArrived(error) ? 'failed' : 'refused';
      for (const item of items) results.set(item.actionId, { status, problem });
    }
  }
  return { ...outcome, lines: outcome.lines.map((line) => ({ ...line, result: results.get(line.item.actionId) ?? line.result })) };
}

const TITLES = { release: 'bulk.results.release', claim: 'bulk.results.claim', assign: 'bulk.results.assign' } as const;
const STATUSES = { done: 'bulk.status.done', refused: 'bulk.status.refused', failed: 'bulk.status.failed' } as const;

/** Lines that need the reader first: no answer, then refused, then done (each in the order selected). */
const RANK = { failed: 0, refused: 1, done: 2 } as const;
const byNeed = (lines: Outcome['lines']) => [...lines].sort((a, b) => (a.result ? RANK[a.result.status] : 3) - (b.result ? RANK[b.result.status] : 3));

const count = (outcome: Outcome, status: BulkResult['status']) => outcome.lines.filter((line) => line.result?.status === status).length;

/** Why a line was not done, in the user's language; a request never answered says so. */
function reason(result: BulkResult) {
  if (result.problem) return problemText(new ApiError(result.problem));
  return t('error.network');
}

/** The result of a bulk step, a line per person: done, refused with the reason, or failed and to be sent again. */
export function BulkResults({ outcome, busy, retry, close }: { outcome: Outcome; busy: boolean; retry: () => void; close: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Each answer moves the focus to the result: the button pressed (Send again) may be gone.
  useEffect(() => {
    if (!busy) heading.current?.focus();
  }, [busy]);
  const failed = count(outcome, 'failed');
  return (
    <section class="bulk-results" aria-labelledby="bulk-results-heading">
      <h2 id="bulk-results-heading" ref={heading} tabIndex={-1}>{t(TITLES[outcome.kind])}</h2>
      <p role="status">
        {busy ? t('bulk.sending', { count: outcome.lines.length }) : t('bulk.summary', { done: count(outcome, 'done'), refused: count(outcome, 'refused') })}
        {!busy && failed ? ` ${t('bulk.summaryFailed', { failed })}` : null}
      </p>
      <ul class="bulk-lines">
        {byNeed(outcome.lines).map(({ row, result }) => (
          <li key={row.key} class={result?.status ?? 'waiting'}>
            <Free>{row.person.name}</Free>{' '}
            {result ? <span class={`badge${result.status === 'done' ? '' : ' danger'}`}>{t(STATUSES[result.status])}</span> : <span class="muted">{t('bulk.status.waiting')}</span>}
            {result && result.status !== 'done' ? <span class="reason"> {reason(result)}</span> : null}
          </li>
        ))}
      </ul>
      <p class="buttons-inline">
        {failed && !busy ? <button type="button" onClick={retry}>{t('bulk.retry', { count: failed })}</button> : null}
        <button type="button" class="secondary" disabled={busy} onClick={close}>{t('bulk.close')}</button>
      </p>
    </section>
  );
}
