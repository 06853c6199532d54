import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { ErrorBox, useRequest } from '../ui.js';
import type { PathwayState } from './pathway-types.js';

/** An action type, not a text (its text is `action.pathway.hide-name`). */
export const HIDE_NAME = `pathway.hide-name`;

/**
 * Whether lists name this person, and for a supervisor of the pathway the control that hides the
 * name (a person at risk) or shows it again, asked twice: it changes what everyone's lists show.
 */
export function HiddenName({ pathwayId, hidden, mayChange, onDone }: {
  pathwayId: string;
  hidden: boolean;
  mayChange: boolean;
  onDone: (next: PathwayState, hidden: boolean) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useRequest();
  const send = () =>
    run(async () => {
      const answer = await api<{ state?: PathwayState; version: number }>(`/v1/pathways/${encodeURIComponent(pathwayId)}/actions`, {
        method: 'POST',
        body: { type: HIDE_NAME, payload: { hidden: !hidden }, actionId: crypto.randomUUID() },
      });
      setConfirming(false);
      onDone(answer.state ?? (await api<PathwayState>(`/v1/pathways/${encodeURIComponent(pathwayId)}?minVersion=${answer.version}`)), !hidden);
    });
  if (!hidden && !mayChange) return null;
  return (
    <section class="hidden-name" aria-labelledby="hidden-name-heading">
      <h2 id="hidden-name-heading">{t('hiddenName.title')}</h2>
      <p>{hidden ? <><span class="badge">{t('hiddenName.marker')}</span> {t('hiddenName.hidden')}</> : t('hiddenName.shown')}</p>
      {mayChange && !confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>{t(hidden ? 'hiddenName.show' : 'hiddenName.hide')}</button>
      ) : null}
      {mayChange && confirming ? (
        <div role="alertdialog" aria-labelledby="hidden-name-confirm" class="confirm">
          <p id="hidden-name-confirm">{t(hidden ? 'hiddenName.confirmShow' : 'hiddenName.confirmHide')}</p>
          <div class="buttons">
            <button type="button" disabled={busy} onClick={send}>{t(hidden ? 'hiddenName.yesShow' : 'hiddenName.yesHide')}</button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>{t('hiddenName.cancel')}</button>
          </div>
        </div>
      ) : null}
      <ErrorBox error={error} />
    </section>
  );
}
