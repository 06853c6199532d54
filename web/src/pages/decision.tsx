import type { DecisionSummary as Decision } from '../../../src/db/decisions.js';
import { formatDate, label, t } from '../i18n.js';
import { Free, tx } from '../ui.js';

/** What an approval approves, as the worklist answers it: the server's own type. */
export type { Decision };

/** The decision in a few lines: what kind, what was chosen, for which household or why, who asked and when. */
export function DecisionSummary({ decision }: { decision: Decision }) {
  return (
    <div class="decision">
      <strong>{t(`decision.${decision.kind}`)}</strong>
      {decision.option ? <>: {label('value', decision.option)}</> : null}
      {decision.household ? <><br />{tx('decision.household', { household: <Free>{decision.household}</Free> })}</> : null}
      {decision.reason ? <><br />{tx('decision.reason', { reason: label('value', decision.reason) })}</> : null}
      {decision.preparedBy ? (
        <><br /><span class="muted">{tx('decision.preparedBy', { who: <Free>{decision.preparedBy}</Free>, when: formatDate(decision.preparedAt, true) })}</span></>
      ) : null}
    </div>
  );
}
