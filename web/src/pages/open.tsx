import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { loadSchemas, type Schemas } from '../console-config.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { initialValues, payloadOf, SchemaFields } from '../schema-form.js';
import { ErrorBox, Field, Loading, PageTitle } from '../ui.js';
import { ArrivalFields, arrivalBody, emptyArrival } from './arrival.js';

/** Opens one pathway; the same Idempotency-Key on a resend opens nothing twice. */
export function OpenPage() {
  const [schemas, setSchemas] = useState<Schemas>();
  const [arrival, setArrival] = useState(emptyArrival);
  const [person, setPerson] = useState<Record<string, unknown>>({});
  const [familyGroupId, setFamilyGroupId] = useState('');
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => void loadSchemas().then((loaded) => { setSchemas(loaded); setPerson(initialValues(loaded.openPathway.properties.person)); }), []);
  if (!schemas) return <Loading />;
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { ...arrivalBody(arrival), ...(familyGroupId ? { familyGroupId } : {}), person: payloadOf(person) };
      const opened = await api<{ id: string }>('/v1/pathways', { method: 'POST', body, headers: { 'idempotency-key': key, prefer: 'return=minimal' } });
      setKey(crypto.randomUUID());
      go('pathways', opened.id);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <PageTitle>{t('nav.open')}</PageTitle>
      <form onSubmit={submit}>
        <ArrivalFields value={arrival} onChange={setArrival} />
        <fieldset>
          <legend>{t('open.person')}</legend>
          <SchemaFields schema={schemas.openPathway.properties.person} values={person} onChange={setPerson} idPrefix="person" />
          <Field id="familyGroupId" label={t('field.familyGroupId')}>
            <input id="familyGroupId" type="text" value={familyGroupId} onInput={(event) => setFamilyGroupId((event.target as HTMLInputElement).value)} />
          </Field>
        </fieldset>
        <button type="submit" disabled={busy}>{t('open.submit')}</button>
        <ErrorBox error={error} />
      </form>
    </section>
  );
}
