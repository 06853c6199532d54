import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { consoleConfig } from '../console-config.js';
import { formatDate, label, t } from '../i18n.js';
import { PersonCell, type ShownPerson } from '../person.js';
import { setHashQuery, useAddressPage, useHashQuery } from '../router.js';
import { ErrorBox, Field, Loading, PageButtons, PageTitle, Select, Table, useLoad } from '../ui.js';
import { CohortFields, NO_COHORT, type CohortFilters } from './cohort-filters.js';
import { BulkBar, SelectAllCell, SelectCell, useSelection } from './bulk.js';
import { ExportControls } from './export-controls.js';

interface Listed {
  id: string;
  programme: string;
  operation: string;
  phase: string | null;
  arrivalDate: string;
  sex: string;
  ageBand: string;
  status: string;
  currentStage: string;
  overdue: boolean;
  openedAt: string;
  person: ShownPerson;
}

type Filters = { programme: string; operation: string; stage: string; status: string; overdue: string } & CohortFilters;

const NO_FILTERS: Filters = { programme: '', operation: '', stage: '', status: '', overdue: '', ...NO_COHORT };

/** The filters the address holds (only those the list knows). */
const filtersOf = (address: Record<string, string>): Filters =>
  Object.fromEntries(Object.entries(NO_FILTERS).map(([name, none]) => [name, address[name] ?? none])) as Filters;

/** The pathways of GET /v1/pathways with its filters, newest first, a page at a time; the filters and page are in the address. */
export function PathwaysPage() {
  const { catalogue } = consoleConfig();
  const address = useHashQuery();
  const applied = filtersOf(address);
  const { cursor, first, next } = useAddressPage(applied);
  const [filters, setFilters] = useState<Filters>(applied);
  // Back and Forward bring other filters: the form shows them.
  useEffect(() => setFilters(applied), [JSON.stringify(applied)]);
  const loaded = useLoad(() => api<{ items: Listed[]; nextCursor: string | null }>(`/v1/pathways${query({ ...applied, cursor, limit: 25 })}`), [JSON.stringify(applied), cursor]);
  const set = (name: keyof Filters) => (value: string) => setFilters({ ...filters, [name]: value });
  const any = { value: '', label: t('common.any') };
  const operations = catalogue.programmes.find((p) => p.code === filters.programme)?.operations ?? catalogue.programmes.flatMap((p) => p.operations);
  const selection = useSelection((loaded.data?.items ?? []).filter((p) => p.status !== 'closed').map((p) => ({ key: p.id, pathwayId: p.id, person: p.person })));
  return (
    <section>
      <PageTitle>{t('nav.pathways')}</PageTitle>
      <form class="filters" onSubmit={(event) => { event.preventDefault(); setHashQuery(filters); }}>
        <Field id="f-programme" label={t('field.programme')}>
          <Select id="f-programme" value={filters.programme} onChange={set('programme')} options={[any, ...catalogue.programmes.map((p) => ({ value: p.code, label: p.code }))]} />
        </Field>
        <Field id="f-operation" label={t('field.operation')}>
          <Select id="f-operation" value={filters.operation} onChange={set('operation')} options={[any, ...[...new Set(operations.map((o) => o.name))].map((name) => ({ value: name, label: name }))]} />
        </Field>
        <Field id="f-stage" label={t('field.currentStage')}>
          <Select id="f-stage" value={filters.stage} onChange={set('stage')} options={[any, ...catalogue.stages.map((s) => ({ value: s, label: label('stage', s) }))]} />
        </Field>
        <Field id="f-status" label={t('field.status')}>
          <Select id="f-status" value={filters.status} onChange={set('status')} options={[any, ...['active', 'legal-proceedings', 'closed'].map((s) => ({ value: s, label: label('status', s) }))]} />
        </Field>
        <Field id="f-overdue" label={t('common.overdue')}>
          <Select id="f-overdue" value={filters.overdue} onChange={set('overdue')} options={[any, { value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }]} />
        </Field>
        <CohortFields value={filters} operations={operations.filter((o) => !filters.operation || o.name === filters.operation)} onChange={(cohort) => setFilters({ ...filters, ...cohort })} />
        <button type="submit">{t('common.filter')}</button>
      </form>
      <ExportControls list="pathways" filters={applied} personal />
      {loaded.loading ? <Loading /> : null}
      <ErrorBox error={loaded.error} />
      {loaded.data ? <BulkBar selection={selection} offered={['release', 'assign']} onDone={loaded.reload} /> : null}
      {loaded.data ? (
        <Table caption={t('list.caption', { count: loaded.data.items.length })}>
          <thead>
            <tr>
              <SelectAllCell selection={selection} />
              <th scope="col">{t('pathway.person')}</th><th scope="col">{t('field.currentStage')}</th><th scope="col">{t('field.status')}</th>
              <th scope="col">{t('field.programme')}</th><th scope="col">{t('field.arrivalDate')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.items.map((p) => (
              <tr key={p.id} class={p.overdue ? 'overdue' : ''}>
                {p.status === 'closed' ? <td /> : <SelectCell selection={selection} row={{ key: p.id, pathwayId: p.id, person: p.person }} />}
                <PersonCell id={p.id} person={p.person} extra={`${label('value', p.sex)}, ${p.ageBand}`} />
                <td>{label('stage', p.currentStage)}{p.overdue ? <span class="badge danger">{t('common.overdue')}</span> : null}</td>
                <td>{label('status', p.status)}</td>
                <td>{p.programme} · {p.operation}{p.phase ? ` · ${p.phase}` : ''}</td>
                <td>{formatDate(p.arrivalDate)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <PageButtons first={first} next={next(loaded.data?.nextCursor)} />
    </section>
  );
}
