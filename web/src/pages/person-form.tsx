import { useEffect, useState } from 'preact/hooks';
import { loadSchemas, type Schemas } from '../console-config.js';
import type { CohortRow } from '../csv.js';
import { t } from '../i18n.js';
import { initialValues, payloadOf, SchemaFields } from '../schema-form.js';
import { Field } from '../ui.js';

/** One person added to a cohort by hand, with the fields of the opening schema. */
export function PersonForm({ onAdd }: { onAdd: (row: CohortRow) => void }) {
  const [schemas, setSchemas] = useState<Schemas>();
  const [person, setPerson] = useState<Record<string, unknown>>({});
  const [familyGroupId, setFamilyGroupId] = useState('');
  useEffect(() => void loadSchemas().then((loaded) => { setSchemas(loaded); setPerson(initialValues(loaded.openPathway.properties.person)); }), []);
  if (!schemas) return null;
  const schema = schemas.openPathway.properties.person;
  return (
    <details>
      <summary>{t('cohort.addPerson')}</summary>
      <form onSubmit={(event) => {
        event.preventDefault();
        onAdd({ ...(familyGroupId ? { familyGroupId } : {}), person: payloadOf(person) });
        setPerson(initialValues(schema));
      }}>
        <SchemaFields schema={schema} values={person} onChange={setPerson} idPrefix="cohort-person" />
        <Field id="cohort-family" label={t('field.familyGroupId')}>
          <input id="cohort-family" type="text" value={familyGroupId} onInput={(event) => setFamilyGroupId((event.target as HTMLInputElement).value)} />
        </Field>
        <button type="submit">{t('cohort.add')}</button>
      </form>
    </details>
  );
}
