import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { payloadOf, SchemaFields } from '../schema-form.js';
import { ErrorBox, Field, Loading, PageTitle, useRequest } from '../ui.js';
import { ArrivalFields, arrivalBody, emptyArrival } from './arrival.js';
import { usePerson } from './person-form.js';

/** Opens one pathway; the same Idempotency-Key on a resend opens nothing twice. */
export function OpenPage() {
  const { schema, person, setPerson } = usePerson();
  const [arrival, setArrival] = useState(emptyArrival);
  const [familyGroupId, setFamilyGroupId] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  const { busy, error, run } = useRequest();
  if (!schema) return <Loading />;
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const body = { ...arrivalBody(arrival), ...(familyGroupId ? { familyGroupId } : {}), person: payloadOf(person) };
      const opened = await api<{ id: string }>('/v1/pathways', { method: 'POST', body, headers: { 'idempotency-key': key, prefer: 'return=minimal' } });
      go('pathways', opened.id);
    });
  };
  return (
    <section>
      <PageTitle>{t('nav.open')}</PageTitle>
      <form onSubmit={submit}>
        <ArrivalFields value={arrival} onChange={setArrival} />
        <fieldset>
          <legend>{t('open.person')}</legend>
          <SchemaFields schema={schema} values={person} onChange={setPerson} idPrefix="person" />
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
