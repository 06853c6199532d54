import { useEffect, useState } from 'preact/hooks';
import { loadSchemas } from '../console-config.js';
import { t } from '../i18n.js';
import { initialValues, payloadOf, SchemaFields, type JsonSchema } from '../schema-form.js';
import { Field } from '../ui.js';

/** One person of a cohort as the cohort request takes them. */
export interface CohortRow {
  familyGroupId?: string;
  person: Record<string, unknown>;
  /** Pathways a preview named as possibly this person that the coordinator says are someone else. */
  differentFrom?: string[];
}

/** A person's fields from the opening schema (fetched once), with their values. */
export function usePerson() {
  const [schema, setSchema] = useState<JsonSchema>();
  const [person, setPerson] = useState<Record<string, unknown>>({});
  useEffect(() => {
    void loadSchemas().then((loaded) => {
      setSchema(loaded.openPathway.properties.person);
      setPerson(initialValues(loaded.openPathway.properties.person));
    });
  }, []);
  return { schema, person, setPerson };
}

/** One person added to a cohort by hand, with the fields of the opening schema. */
export function PersonForm({ onAdd }: { onAdd: (row: CohortRow) => void }) {
  const { schema, person, setPerson } = usePerson();
  const [familyGroupId, setFamilyGroupId] = useState('');
  if (!schema) return null;
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
