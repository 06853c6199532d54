/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Fetched when opened (pages/index.tsx): the console's parts come in `kit` (see kit.ts).
import type { h } from 'preact';
import type { SignedInStatisticsBody, StatisticsBody } from '../../../src/api/routes/statistics.js';
import type { Kit } from './kit.js';
import type { ExportControls as Exports } from './export-controls.js';
import { reportParts } from './report-parts.js';

type Cell = NonNullable<StatisticsBody['people']['total']>;
type CountTable = StatisticsBody['people'];
type Published = StatisticsBody['indicators'][number]['placement'];
const INDICATORS = ['placement', 'document', 'school', 'followUpEnded'] as const;
type Filters = { programme: string; from: string; to: string };

/** Statistics a ministry could publish: every hidden cell says so and why, never a blank a reader takes for zero. */
export function statisticsPage(kit: Kit & { ExportControls: typeof Exports }) {
  const { h, Fragment, useState, useEffect, api, query, consoleConfig, setHashQuery, useHashQuery, formatNumber, label, t, Confirm, ErrorBox, ExportControls, Field, Loading, PageTitle, Select, Table, useLoad, useRequest } = kit;
  const { ReportTabs, days, share } = reportParts(kit);

  /** A count, or the word "hidden": never why, which would give the small one away. */
  function Count({ cell }: { cell: Cell }) {
    if (!cell.suppressed) return <>{formatNumber(cell.count ?? 0)}</>;
    return <span class="suppressed">{t('statistics.hidden')}</span>;
  }

  const COLUMNS: Record<string, string> = {
    men: 'reports.men', women: 'reports.women', children: 'reports.children', enrolled: 'statistics.enrolled', documented: 'statistics.documented',
    ended: 'statistics.ended', unrecorded: 'statistics.unrecorded', notYet: 'statistics.notYet',
  };
  // The placement options are the forms' values.
  const columnName = (column: string) => (COLUMNS[column] ? t(COLUMNS[column]) : label('value', column));

  function ProtectedTable({ title, table }: { title: string; table: CountTable }) {
    if (table.rows.length === 0) return null;
    const totals = table.rowTotals !== null;
    return (
      <Table caption={title}>
        <thead><tr><th scope="col">{t('field.programme')}</th>{table.columns.map((c) => <th key={c} scope="col">{columnName(c)}</th>)}{totals ? <th scope="col">{t('reports.total')}</th> : null}</tr></thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={row}><th scope="row">{row}</th>{table.cells[r]!.map((cell, c) => <td key={c}><Count cell={cell} /></td>)}{totals ? <td><Count cell={table.rowTotals![r]!} /></td> : null}</tr>
          ))}
          {table.rows.length > 1 && table.columnTotals && table.total ? (
            <tr><th scope="row">{t('reports.total')}</th>{table.columnTotals.map((cell, c) => <td key={c}><Count cell={cell} /></td>)}<td><Count cell={table.total} /></td></tr>
          ) : null}
        </tbody>
      </Table>
    );
  }

  const shownDays = (value: Published['medianDays']) => (value === 'hidden' ? t('statistics.hidden') : value === 'not-reached' ? t('indicators.notReached') : days(value));

  function Waiting({ data }: { data: StatisticsBody }) {
    return (
      <Table caption={t('statistics.waitingCaption')}>
        <thead><tr>
          <th scope="col">{t('field.programme')}</th><th scope="col">{t('statistics.indicator')}</th><th scope="col">{t('indicators.people')}</th>
          <th scope="col">{t('indicators.reached')}</th><th scope="col">{t('indicators.stillWaiting')}</th><th scope="col">{t('reports.median')}</th>
          <th scope="col">{t('reports.p90')}</th><th scope="col">{t('indicators.withinTarget')}</th>
        </tr></thead>
        <tbody>
          {data.indicators.flatMap((row) => INDICATORS.map((name) => {
            const p = row[name];
            // Nobody on this clock: nothing is hidden, there is nothing to show.
            const none = p.people.count === 0;
            const when = (value: Published['medianDays']) => (none ? '–' : shownDays(value));
            return (
              <tr key={`${row.programme}-${name}`}>
                <th scope="row">{row.programme}</th><td>{t(`indicators.${name}`)}</td><td><Count cell={p.people} /></td><td><Count cell={p.reached} /></td>
                <td><Count cell={p.stillWaiting} /></td><td>{when(p.medianDays)}</td><td>{when(p.p90Days)}</td>
                <td>{none || p.targetDays === null ? '–' : p.withinTarget === null ? t('statistics.hidden') : share(p.withinTarget)}</td>
              </tr>
            );
          }))}
        </tbody>
      </Table>
    );
  }

  /** The oversight organisation's switch: a programme's statistics readable by anyone, or not. */
  function PublicSwitch({ programme, isPublic, onDone }: { programme: string; isPublic: boolean; onDone: () => void }) {
    const [asking, setAsking] = useState(false);
    const sending = useRequest();
    const address = `${location.origin}/public/statistics/${encodeURIComponent(programme)}`;
    const send = () => sending.run(async () => {
      await api(`/v1/statistics/public/${encodeURIComponent(programme)}`, { method: 'PUT', body: { public: !isPublic } });
      setAsking(false);
      onDone();
    });
    return (
      <div class="public-switch">
        <p>{isPublic ? t('statistics.isPublic', { programme }) : t('statistics.isPrivate', { programme })}{isPublic ? <> <a href={address}>{address}</a></> : null}</p>
        {asking ? (
          <Confirm id={`public-${programme}`} yes={isPublic ? t('statistics.makePrivateYes') : t('statistics.makePublicYes')} busy={sending.busy} onYes={send} onBack={() => setAsking(false)}>
            <p>{isPublic ? t('statistics.makePrivateConfirm', { programme }) : t('statistics.makePublicConfirm', { programme })}</p>
          </Confirm>
        ) : (
          <button type="button" class="secondary" onClick={() => setAsking(true)}>{isPublic ? t('statistics.makePrivate') : t('statistics.makePublic')}</button>
        )}
        <ErrorBox error={sending.error} />
      </div>
    );
  }

  function StatisticsPage({ oversight }: { oversight: boolean }): h.JSX.Element {
    const { catalogue } = consoleConfig();
    const address = useHashQuery();
    const applied: Filters = { programme: address.programme ?? '', from: address.from ?? '', to: address.to ?? '' };
    const [filters, setFilters] = useState(applied);
    useEffect(() => setFilters(applied), [JSON.stringify(applied)]);
    const loaded = useLoad(() => api<SignedInStatisticsBody>(`/v1/statistics${query(applied)}`), [JSON.stringify(applied)]);
    const data = loaded.data;
    const set = (name: keyof Filters) => (value: string) => setFilters({ ...filters, [name]: value });
    const date = (name: 'from' | 'to') => (
      <Field id={`s-${name}`} label={t(`indicators.${name}`)}>
        <input id={`s-${name}`} type="date" value={filters[name]} onInput={(event) => set(name)((event.target as HTMLInputElement).value)} />
      </Field>
    );
    return (
      <section>
        <PageTitle>{t('reports.tab.statistics')}</PageTitle>
        <ReportTabs at="statistics" />
        <form class="filters" onSubmit={(event) => { event.preventDefault(); setHashQuery(filters); }}>
          <Field id="s-programme" label={t('field.programme')}>
            <Select id="s-programme" value={filters.programme} onChange={set('programme')} options={[{ value: '', label: t('common.any') }, ...catalogue.programmes.map((p) => ({ value: p.code, label: p.code }))]} />
          </Field>
          {date('from')}
          {date('to')}
          <button type="submit">{t('common.filter')}</button>
        </form>
        <ExportControls list="statistics" filters={applied} personal={false} titled />
        {loaded.loading ? <Loading /> : null}
        <ErrorBox error={loaded.error} />
        {data ? (
          <>
            <p>{t('statistics.intro', { threshold: data.threshold })}</p>
            {data.placements.rowTotals === null ? <p>{t('statistics.linked')}</p> : null}
            {data.people.rows.length === 0 ? <p>{t('indicators.nobody')}</p> : (
              <>
                <h2>{t('statistics.people')}</h2>
                <ProtectedTable title={t('statistics.peopleCaption')} table={data.people} />
                <h2>{t('statistics.placements')}</h2>
                <ProtectedTable title={t('statistics.placementsCaption')} table={data.placements} />
                <h2>{t('statistics.documents')}</h2>
                <ProtectedTable title={t('statistics.documentsCaption')} table={data.documents} />
                <h2>{t('statistics.enrolments')}</h2>
                <ProtectedTable title={t('statistics.enrolmentsCaption')} table={data.enrolments} />
                <h2>{t('statistics.followUp')}</h2>
                <ProtectedTable title={t('statistics.followUpCaption')} table={data.followUp} />
                <h2>{t('statistics.waiting')}</h2>
                <Waiting data={data} />
              </>
            )}
            <details class="method"><summary>{t('statistics.methodTitle')}</summary><p>{t('statistics.method', { threshold: data.threshold })}</p></details>
            <h2>{t('statistics.publicTitle')}</h2>
            {oversight ? catalogue.programmes.map((p) => (
              <PublicSwitch key={p.code} programme={p.code} isPublic={data.publicProgrammes.includes(p.code)} onDone={loaded.reload} />
            )) : <p>{data.publicProgrammes.length ? t('statistics.publicNow', { programmes: data.publicProgrammes.join(', ') }) : t('statistics.nonePublic')}</p>}
          </>
        ) : null}
      </section>
    );
  }

  return StatisticsPage;
}
