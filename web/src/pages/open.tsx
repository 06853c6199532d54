import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { payloadOf, SchemaFields } from '../schema-form.js';
import { href } from '../router.js';
import { ErrorBox, Field, Loading, PageTitle, useRequest } from '../ui.js';
import { DuplicateChoice, duplicatesOf, DuplicateWarning, type PossibleDuplicate } from './duplicates.js';
import { ArrivalFields, arrivalBody, emptyArrival } from './arrival.js';
import { usePerson } from './person-form.js';

/** Opens one pathway; the same Idempotency-Key on a resend opens nothing twice. */
export function OpenPage() {
  const { schema, person, setPerson } = usePerson();
  const [arrival, setArrival] = useState(emptyArrival);
  const [familyGroupId, setFamilyGroupId] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  // Pathways of ours this person may already have, and those the coordinator says are someone else.
  const [matches, setMatches] = useState<PossibleDuplicate[]>();
  const [differentFrom, setDifferentFrom] = useState<string[]>([]);
  const [toldOversight, setToldOversight] = useState<string>();
  const { busy, error, run } = useRequest();
  if (!schema) return <Loading />;
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const body = { ...arrivalBody(arrival), ...(familyGroupId ? { familyGroupId } : {}), person: payloadOf(person), ...(differentFrom.length ? { differentFrom } : {}) };
      try {
        const opened = await api<{ id: string; oversightTold?: true }>('/v1/pathways', { method: 'POST', body, headers: { 'idempotency-key': key, prefer: 'return=minimal' } });
        // A match in another organisation is not named: the coordinator learns only that oversight knows.
        if (opened.oversightTold) setToldOversight(opened.id);
        else go('pathways', opened.id);
      } catch (caught) {
        const found = duplicatesOf(caught);
        if (!found) throw caught;
        // Confirmations given stay: a later answer may name other pathways besides.
        setMatches(found);
      }
    });
  };
  if (toldOversight) {
    return (
      <section>
        <PageTitle>{t('nav.open')}</PageTitle>
        <p role="status">{t('duplicate.oversightTold')}</p>
        <p><a href={href('pathways', toldOversight)}>{t('duplicate.toPathway')}</a></p>
      </section>
    );
  }
  const pending = matches?.filter((m) => !differentFrom.includes(m.pathwayId)) ?? [];
  return (
    <section>
      <PageTitle>{t('nav.open')}</PageTitle>
      <form onSubmit={submit}>
        <ArrivalFields value={arrival} onChange={(value) => { setArrival(value); setMatches(undefined); }} />
        <fieldset>
          <legend>{t('open.person')}</legend>
          <SchemaFields schema={schema} values={person} onChange={(value) => { setPerson(value); setMatches(undefined); }} idPrefix="person" />
          <Field id="familyGroupId" label={t('field.familyGroupId')}>
            <input id="familyGroupId" type="text" value={familyGroupId} onInput={(event) => setFamilyGroupId((event.target as HTMLInputElement).value)} />
          </Field>
        </fieldset>
        {matches?.length ? (
          <DuplicateWarning matches={matches}>
            <DuplicateChoice matches={matches} differentFrom={differentFrom} onChange={setDifferentFrom} idPrefix="different" />
          </DuplicateWarning>
        ) : null}
        <button type="submit" disabled={busy || (matches !== undefined && pending.length > 0)}>{t(matches?.length ? 'duplicate.openAnyway' : 'open.submit')}</button>
        <ErrorBox error={error} />
      </form>
    </section>
  );
}
