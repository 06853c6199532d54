import { orgName } from '../directory.js';
import { label, t } from '../i18n.js';
import type { Choices } from '../schema-form.js';
import type { PathwayState } from './pathway-types.js';

/** Steps that decide where a child lives, move the pathway, or rewrite what was recorded: each is confirmed in plain words first. */
const CONFIRMED = ['placement.choose-option', 'placement.request-approval', 'placement.approve', 'placement.reject', 'placement.record-separation-exception', 'transfer.request', 'transfer.accept', 'transfer.decline', 'transfer.withdraw'];

export const needsConfirmation = (type: string) => CONFIRMED.includes(type) || type === 'correction';

const chosen = (choices: Choices, field: string, value: unknown) => choices[field]?.find((c) => c.value === value)?.label ?? String(value ?? '');

/** What will happen, said plainly, with the values of this step (`pathway.confirm.<type>` in each language). */
export function confirmationText(type: string, payload: Record<string, unknown>, state: PathwayState, choices: Choices): string {
  const placement = state.stages.find((s) => s.stage === 'placement')?.details ?? {};
  const option = label('value', String(payload.option ?? placement.option ?? ''));
  const values: Record<string, string> = {
    option,
    household: chosen(choices, 'householdId', payload.householdId),
    reason: payload.reason ? label('value', String(payload.reason)) : '',
    to: payload.to ? orgName(String(payload.to)) : state.transfer ? orgName(state.transfer.to) : '',
    programme: String(payload.programme ?? state.programme),
  };
  return t(`pathway.confirm.${type}`, values);
}
