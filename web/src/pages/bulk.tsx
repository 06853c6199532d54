import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { currentSession } from '../session.js';
import { ErrorBox, Field, Free, isolated, Select } from '../ui.js';
import { BulkResults, itemsFor, sendLines, type BulkKind, type BulkRow, type Outcome } from './bulk-send.js';

export type { BulkRow };

/** The rows chosen on a list: kept by key while the list reloads, forgotten when a row is gone. */
export function useSelection(rows: BulkRow[]) {
  const [keys, setKeys] = useState<ReadonlySet<string>>(new Set());
  const selected = rows.filter((row) => keys.has(row.key));
  const set = (next: Iterable<string>) => setKeys(new Set(next));
  return {
    rows,
    selected,
    has: (key: string) => keys.has(key),
    toggle: (key: string, on: boolean) => set(on ? [...keys, key] : [...keys].filter((k) => k !== key)),
    all: (on: boolean) => set(on ? rows.map((row) => row.key) : []),
    clear: () => set([]),
  };
}
export type Selection = ReturnType<typeof useSelection>;

/** The heading cell of the selection's column: one box for the whole page. */
export function SelectAllCell({ selection }: { selection: Selection }) {
  const all = selection.rows.length > 0 && selection.selected.length === selection.rows.length;
  return (
    <th scope="col" class="select">
      <input type="checkbox" aria-label={t('bulk.selectAll')} checked={all} disabled={!selection.rows.length} onChange={(e) => selection.all((e.target as HTMLInputElement).checked)} />
    </th>
  );
}

/** A row's box, named after its person, so a screen reader says whom it selects. */
export function SelectCell({ selection, row }: { selection: Selection; row: BulkRow }) {
  return (
    <td class="select">
      <input
        type="checkbox"
        aria-label={t('bulk.select', { name: row.person.name })}
        checked={selection.has(row.key)}
        onChange={(e) => selection.toggle(row.key, (e.target as HTMLInputElement).checked)}
      />
    </td>
  );
}

const BUTTONS = { release: 'bulk.release', claim: 'bulk.claim', assign: 'bulk.assign' } as const;
const CONFIRMS = { release: 'bulk.confirm.release', claim: 'bulk.confirm.claim', assign: 'bulk.confirm.assign' } as const;

/** What the caller's role may do in bulk: staff and supervisors release and staff claim, as the pathway allows; coordinators and supervisors assign. */
function kindsFor(role: string | undefined, offered: readonly BulkKind[]): BulkKind[] {
  const allowed: Record<BulkKind, readonly string[]> = { release: ['staff', 'supervisor'], claim: ['staff'], assign: ['coordinator', 'supervisor'] };
  return offered.filter((kind) => role !== undefined && allowed[kind].includes(role));
}

/** The people of one's organisation who have signed in: whom work may be assigned to. */
function useColleagues(wanted: boolean) {
  const [colleagues, setColleagues] = useState<{ id: string }[]>();
  const [error, setError] = useState<unknown>();
  const org = currentSession()?.actor.org ?? '';
  useEffect(() => {
    if (wanted && !colleagues) api<{ items: { id: string }[] }>(`/v1/organisations/${encodeURIComponent(org)}/people`).then((answer) => setColleagues(answer.items), setError);
  }, [wanted]);
  return { colleagues: colleagues ?? [], error, org };
}

/**
 * The bulk bar of a list: a step for every selected row ("Release from quarantine (n)", "Claim (n)",
 * "Assign to…"), confirmed first with what will happen to how many people, then a result per row.
 */
export function BulkBar({ selection, offered, onDone }: { selection: Selection; offered: readonly BulkKind[]; onDone: () => void }) {
  const kinds = kindsFor(currentSession()?.actor.role, offered);
  const { colleagues, error, org } = useColleagues(kinds.includes('assign'));
  const [assignee, setAssignee] = useState('');
  const [confirming, setConfirming] = useState<BulkKind>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const question = useRef<HTMLParagraphElement>(null);
  useEffect(() => question.current?.focus(), [confirming]);
  const n = selection.selected.length;

  const send = async (pending: Outcome) => {
    setBusy(true);
    setOutcome(pending);
    const answered = await sendLines(pending);
    setOutcome(answered);
    setBusy(false);
    // The rows done are done: the list shows them as they now are.
    selection.clear();
    onDone();
  };
  const confirm = () => {
    const kind = confirming!;
    setConfirming(undefined);
    void send(itemsFor(kind, selection.selected, kind === 'assign' ? { assignee, org } : undefined));
  };

  if (outcome) return <BulkResults outcome={outcome} busy={busy} retry={() => void send(outcome)} close={() => setOutcome(undefined)} />;
  // Nothing this role does in bulk, or nobody on the page to do it for.
  if (!kinds.length || !selection.rows.length) return null;
  return (
    <div class="bulk-bar" role="group" aria-label={t('bulk.bar', { count: n })}>
      <p class="muted">{t('bulk.selected', { count: n })}</p>
      {confirming ? (
        <div role="alertdialog" aria-labelledby="bulk-confirm" class="confirm">
          <p id="bulk-confirm" ref={question} tabIndex={-1}>
            {t(CONFIRMS[confirming], { count: n })}
            {confirming === 'assign' ? <> <Free>{assignee}</Free></> : null}
          </p>
          <ul class="bulk-names">
            {selection.selected.map((row) => <li key={row.key}><Free>{row.person.name}</Free></li>)}
          </ul>
          <p class="buttons-inline">
            <button type="button" onClick={confirm}>{t('bulk.yes')}</button>
            <button type="button" class="secondary" onClick={() => setConfirming(undefined)}>{t('bulk.cancel')}</button>
          </p>
        </div>
      ) : (
        <div class="buttons-inline">
          {kinds.includes('assign') ? (
            <Field id="bulk-assignee" label={t('pathway.assign')}>
              <Select id="bulk-assignee" value={assignee} onChange={setAssignee} options={[{ value: '', label: t('bulk.chooseAssignee') }, ...colleagues.map((c) => ({ value: c.id, label: isolated(c.id) }))]} />
            </Field>
          ) : null}
          {kinds.map((kind) => (
            <button key={kind} type="button" disabled={!n || (kind === 'assign' && !assignee)} onClick={() => setConfirming(kind)}>
              {t(BUTTONS[kind], { count: n })}
            </button>
          ))}
        </div>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
