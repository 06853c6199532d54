/**
 * What a supervisor's approval approves, as the approvals queue shows it: read from the audit
 * entries that prepared the decision, in the worklist's own statement. Only the fields named here
 * leave the trail (codes and references, never a personal value), so the summary says no more than
 * the pathway's own page already tells the supervisor.
 */
export interface DecisionSource {
  /** What kind of decision (placement, closure): the console names it. */
  kind: string;
  /** The action that approves it: a row offering it to the caller carries the summary. */
  approve: string;
  /** The action that chose what is decided, and which of its payload's fields the summary shows (summary name → payload field). */
  chosen: { type: string; fields: Record<string, string> };
  /** The action that asked for approval: who prepared it and when. */
  asked: string;
}

export const DECISIONS: DecisionSource[] = [
  { kind: 'placement', approve: 'placement.approve', chosen: { type: 'placement.choose-option', fields: { option: 'option', household: 'householdId' } }, asked: 'placement.request-approval' },
  { kind: 'closure', approve: 'pathway.close-approve', chosen: { type: 'pathway.close', fields: { reason: 'reason' } }, asked: 'pathway.close' },
];

/** A decision waiting for approval: `option`, `household`, `reason` as its kind has them. */
export interface DecisionSummary {
  kind: string;
  option?: string;
  household?: string;
  reason?: string;
  preparedBy: string | null;
  preparedAt: string | null;
}

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The latest entry of one action type on the row's pathway. */
const latest = (row: string, type: string, columns: string) =>
  `(select ${columns} from audit_entries e where e.pathway_id = ${row}.id and e.kind = 'action' and e.type = ${quoted(type)} order by e.seq desc limit 1)`;

/**
 * A SQL expression of the row `row` (with `mine`, the caller's actions as jsonb): the summary of
 * the decision the caller may approve, as jsonb, or null. The types come from DECISIONS, not from input.
 */
export function decisionSql(row: string): string {
  const cases = DECISIONS.map((d) => {
    const fields = Object.entries(d.chosen.fields).map(([name, field]) => `${quoted(name)}, ${latest(row, d.chosen.type, `e.data->>${quoted(field)}`)}`);
    return `when ${row}.mine @> ${quoted(JSON.stringify([{ type: d.approve }]))}::jsonb then jsonb_strip_nulls(jsonb_build_object(
      'kind', ${quoted(d.kind)}, ${fields.join(', ')},
      'preparedBy', ${latest(row, d.asked, 'e.actor_id')}, 'preparedAt', ${latest(row, d.asked, 'e.occurred_at')}))`;
  });
  return `case ${cases.join(' ')} end`;
}

/** The summary as the API answers it: dates as ISO 8601. */
export function decisionOf(value: Record<string, unknown> | null): DecisionSummary | null {
  if (!value) return null;
  const preparedAt = typeof value.preparedAt === 'string' ? new Date(value.preparedAt).toISOString() : null;
  return { ...(value as unknown as DecisionSummary), preparedBy: (value.preparedBy as string | undefined) ?? null, preparedAt };
}
