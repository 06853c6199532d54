import { t } from '../i18n.js';
import { Field, Select } from '../ui.js';

/** A cohort found again: its phase, arrival date and a family group of it. Kept in the address with the list's other filters (no name among them). */
export type CohortFilters = { phase: string; arrivalDate: string; familyGroup: string };
export const NO_COHORT: CohortFilters = { phase: '', arrivalDate: '', familyGroup: '' };

/** The cohort's filters of the pathways list; the phases offered are those of the operations still in question. */
export function CohortFields({ value, operations, onChange }: { value: CohortFilters; operations: { phases?: string[] }[]; onChange: (value: CohortFilters) => void }) {
  const phases = [...new Set(operations.flatMap((o) => o.phases ?? []))].sort((a, b) => Number(a) - Number(b));
  return (
    <>
      <Field id="f-phase" label={t('field.phase')}>
        <Select id="f-phase" value={value.phase} onChange={(phase) => onChange({ ...value, phase })}
          options={[{ value: '', label: t('common.any') }, ...phases.map((p) => ({ value: p, label: p }))]} />
      </Field>
      <Field id="f-arrival" label={t('field.arrivalDate')}>
        <input id="f-arrival" type="date" value={value.arrivalDate} onInput={(event) => onChange({ ...value, arrivalDate: (event.target as HTMLInputElement).value })} />
      </Field>
      <Field id="f-family" label={t('field.familyGroupId')}>
        <input id="f-family" type="text" maxLength={64} pattern="[A-Za-z0-9_\-]+" title={t('family.idHint')} value={value.familyGroup}
          onInput={(event) => onChange({ ...value, familyGroup: (event.target as HTMLInputElement).value.trim() })} />
      </Field>
    </>
  );
}
