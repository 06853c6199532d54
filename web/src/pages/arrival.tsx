import { consoleConfig } from '../console-config.js';
import { t } from '../i18n.js';
import { Field, Select } from '../ui.js';

export interface Arrival {
  programme: string;
  operation: string;
  phase: string;
  arrivalDate: string;
}

export function emptyArrival(): Arrival {
  const programme = consoleConfig().catalogue.programmes[0];
  return { programme: programme?.code ?? '', operation: programme?.operations[0]?.name ?? '', phase: '', arrivalDate: new Date().toISOString().slice(0, 10) };
}

/** The arrival as the API takes it: no empty phase. */
export const arrivalBody = ({ phase, ...rest }: Arrival) => ({ ...rest, ...(phase ? { phase } : {}) });

/** Programme, operation, phase and day of an arrival, with the choices the templates declare. */
export function ArrivalFields({ value, onChange }: { value: Arrival; onChange: (value: Arrival) => void }) {
  const programmes = consoleConfig().catalogue.programmes;
  const programme = programmes.find((p) => p.code === value.programme);
  const operation = programme?.operations.find((o) => o.name === value.operation);
  return (
    <fieldset>
      <legend>{t('open.arrival')}</legend>
      <Field id="programme" label={t('field.programme')}>
        <Select id="programme" value={value.programme} required
          onChange={(code) => onChange({ ...value, programme: code, operation: programmes.find((p) => p.code === code)?.operations[0]?.name ?? '', phase: '' })}
          options={programmes.map((p) => ({ value: p.code, label: p.code }))} />
      </Field>
      <Field id="operation" label={t('field.operation')}>
        <Select id="operation" value={value.operation} required onChange={(name) => onChange({ ...value, operation: name, phase: '' })}
          options={(programme?.operations ?? []).map((o) => ({ value: o.name, label: o.name }))} />
      </Field>
      {operation?.phases?.length ? (
        <Field id="phase" label={t('field.phase')}>
          <Select id="phase" value={value.phase} onChange={(phase) => onChange({ ...value, phase })}
            options={[{ value: '', label: t('common.none') }, ...operation.phases.map((p) => ({ value: p, label: p }))]} />
        </Field>
      ) : null}
      <Field id="arrivalDate" label={t('field.arrivalDate')}>
        <input id="arrivalDate" type="date" required value={value.arrivalDate} onInput={(event) => onChange({ ...value, arrivalDate: (event.target as HTMLInputElement).value })} />
      </Field>
    </fieldset>
  );
}
