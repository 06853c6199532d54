import { useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { formatDate, label, t } from '../i18n.js';
import { go, href } from '../router.js';
import { searchFor, useSearched } from '../search.js';
import { ErrorBox, Free, Loading, PageTitle, Table, useLoad } from '../ui.js';

interface Found {
  pathwayId: string;
  person: { name: string; nameHidden: boolean; birthDate: string; birthDateEstimated: boolean; age: number };
  programme: string;
  operation: string;
  phase: string | null;
  currentStage: string;
  status: string;
  why: { field: string; how: string }[];
}

const FIELDS: Record<string, string> = {
  id: 'search.field.id', givenName: 'search.field.givenName', familyName: 'search.field.familyName', patronymic: 'search.field.patronymic',
  familyGroup: 'search.field.familyGroup', birthYear: 'search.field.birthYear', operation: 'search.field.operation',
};
const HOWS: Record<string, string> = { exact: 'search.how.exact', variant: 'search.how.variant', partial: 'search.how.partial', similar: 'search.how.similar' };

const reasons = (why: Found['why']) => why.map((w) => t('search.reason', { field: t(FIELDS[w.field] ?? w.field), how: t(HOWS[w.how] ?? w.how) })).join('; ');

/** A birth date as known: a full date in the reader's format, a year or a month as given. */
const birthDate = (person: Found['person']) =>
  `${person.birthDate.length === 10 ? formatDate(person.birthDate) : person.birthDate}${person.birthDateEstimated ? ` (${t('search.estimated')})` : ''}`;

/** The search box every page has in its header: it leads to the results, the query kept in memory only. */
export function SearchBox() {
  const [text, setText] = useState('');
  return (
    <form
      role="search"
      class="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (!text.trim()) return;
        searchFor(text);
        if (location.hash !== href('people')) go('people');
      }}
    >
      <label for="search-q">{t('search.label')}</label>
      <input id="search-q" type="search" value={text} maxLength={100} autocomplete="off" placeholder={t('search.placeholder')} onInput={(event) => setText((event.target as HTMLInputElement).value)} />
      <button type="submit">{t('search.submit')}</button>
    </form>
  );
}

/** GET /v1/people for what the box asked: best matches first, each with why it matched. */
export function PeoplePage() {
  const searched = useSearched();
  const loaded = useLoad(
    () => (searched.text ? api<{ items: Found[] }>(`/v1/people${query({ q: searched.text, limit: 50 })}`) : Promise.resolve(undefined)),
    [searched.asked],
  );
  const items = loaded.data?.items ?? [];
  return (
    <section>
      <PageTitle>{t('search.label')}</PageTitle>
      {!searched.text ? <p>{t('search.hint')}</p> : null}
      {loaded.loading && searched.text ? <Loading /> : null}
      <ErrorBox error={loaded.error} />
      {loaded.data ? (
        <>
          <Table caption={t('search.caption', { count: items.length })}>
            <thead>
              <tr>
                <th scope="col">{t('pathway.person')}</th><th scope="col">{t('field.birthDate')}</th><th scope="col">{t('search.age')}</th>
                <th scope="col">{t('field.programme')}</th><th scope="col">{t('field.currentStage')}</th><th scope="col">{t('search.why')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.pathwayId} data-pathway={item.pathwayId}>
                  <td>
                    <a href={href('pathways', item.pathwayId)}><Free>{item.person.name}</Free></a>
                    {item.person.nameHidden ? <span class="badge">{t('search.hidden')}</span> : null}
                  </td>
                  <td>{birthDate(item.person)}</td>
                  <td>{item.person.age}</td>
                  <td>{item.programme} · {item.operation}{item.phase ? ` · ${item.phase}` : ''}</td>
                  <td>{label('stage', item.currentStage)}</td>
                  <td class="why">{reasons(item.why)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          {items.length === 0 ? <p>{t('search.none')}</p> : null}
        </>
      ) : null}
    </section>
  );
}
