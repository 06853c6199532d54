import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, mayNotHaveArrived } from '../api.js';
import { t } from '../i18n.js';
import { problemMessages } from '../problem-messages.js';
import type { PathwayState } from './pathway-types.js';

/** The ids of one form on the page: `action-type`, `payload-<field>`, `action-note` for routine steps; `exception-…` for the others. */
export interface FormIds {
  type: string;
  fields: string;
  note: string;
  confirm: string;
}
export const formIds = (prefix: 'action' | 'exception'): FormIds => ({
  type: `${prefix}-type`,
  fields: prefix === 'action' ? 'payload' : `${prefix}-payload`,
  note: `${prefix}-note`,
  confirm: `${prefix}-confirm`,
});

export interface StepBody {
  type: string;
  payload: Record<string, unknown>;
  note?: string;
  actionId: string;
}

/** What the pathway page hears after a step was recorded: the new state and what was recorded. */
export type OnRecorded = (state: PathwayState, type: string) => void;

/**
 * Sends a step and keeps what came back. A request that got no answer keeps its action id, so
 * "send again" cannot record it twice. A refusal leaves the form as it is (same step, same input):
 * its message goes beside the fields it names (`fields`, by field name under `/payload/`, or by the
 * pointer itself when it does not start so) and at the top of the form (`summary`).
 */
export function useStepSend(pathwayId: string, onDone: OnRecorded, pointerPrefix = '/payload/') {
  const [busy, setBusy] = useState(false);
  const [unanswered, setUnanswered] = useState<StepBody>();
  const [refusal, setRefusal] = useState<Refused>();
  const send = async (body: StepBody) => {
    setBusy(true);
    setRefusal(undefined);
    setUnanswered(undefined);
    try {
      const answer = await api<{ state?: PathwayState; version: number }>(`/v1/pathways/${encodeURIComponent(pathwayId)}/actions`, { method: 'POST', body });
      // Read at least the version the action made, should the answer come without the state.
      const state = answer.state ?? (await api<PathwayState>(`/v1/pathways/${encodeURIComponent(pathwayId)}?minVersion=${answer.version}`));
      onDone(state, body.type);
    } catch (caught) {
      if (mayNotHaveArrived(caught)) setUnanswered(body);
      const { summary, fields } = problemMessages(caught);
      const byField = Object.fromEntries(Object.entries(fields).map(([pointer, message]) => [pointer.startsWith(pointerPrefix) ? pointer.slice(pointerPrefix.length).split('/')[0]! : pointer, message]));
      setRefusal({ summary, fields: byField, stale: caught instanceof ApiError && caught.problem.status === 409 });
    } finally {
      setBusy(false);
    }
  };
  /** A field the person changed no longer carries the server's message about its old value. */
  const forget = (field: string) => setRefusal((previous) => (previous?.fields[field] ? { ...previous, fields: Object.fromEntries(Object.entries(previous.fields).filter(([name]) => name !== field)) } : previous));
  return { busy, unanswered, refusal, send, forget };
}

/** Why a step was not recorded: a sentence for the form, messages by field, and whether the page may show an old state (409). */
interface Refused {
  summary: string;
  fields: Record<string, string>;
  stale: boolean;
}

/**
 * The refusal's sentence at the top of the form, with what it says about fields the form does not
 * show. When the pathway may have moved on, the page can be read again (the form then starts anew).
 */
export function Refusal({ refusal, shown, onReload }: { refusal?: Refused; shown: string[]; onReload?: () => void }) {
  if (!refusal) return null;
  const others = Object.entries(refusal.fields).filter(([name]) => !shown.includes(name));
  return (
    <div class="error" role="alert">
      <p>{refusal.summary}</p>
      {others.length ? <ul>{others.map(([name, message]) => <li key={name}>{message}</li>)}</ul> : null}
      {refusal.stale && onReload ? <button type="button" class="secondary" onClick={onReload}>{t('pathway.readAgain')}</button> : null}
    </div>
  );
}

/** The step may or may not be recorded: sending the same body again records it at most once. */
export function Unanswered({ body, busy, send }: { body?: StepBody; busy: boolean; send: (body: StepBody) => void }) {
  if (!body) return null;
  return (
    <p role="status">
      {t('pathway.unanswered')}{' '}
      <button type="button" disabled={busy} onClick={() => send(body)}>
        {t('pathway.sendAgain')}
      </button>
    </p>
  );
}

/**
 * An in-page confirmation: in plain words what will happen, then "yes" or "back". It takes the
 * focus when it opens, so a screen reader reads it first.
 */
export function Confirm(props: { id: string; children: ComponentChildren; yes: string; busy: boolean; onYes: () => void; onBack: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} role="alertdialog" aria-labelledby={`${props.id}-text`} class="confirm">
      <div id={`${props.id}-text`}>{props.children}</div>
      <div class="buttons">
        <button type="button" id={`${props.id}-yes`} disabled={props.busy} onClick={props.onYes}>{props.yes}</button>
        <button type="button" class="secondary" disabled={props.busy} onClick={props.onBack}>{t('pathway.back')}</button>
      </div>
    </div>
  );
}
