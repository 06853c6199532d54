/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Fetched when opened (pages/index.tsx): the console's parts come in `kit` (see kit.ts).
import type { h } from 'preact';
import type { IndicatorsBody } from '../../../src/api/routes/indicators.js';
import type { Kit } from './kit.js';
import type { ExportControls as Exports } from './export-controls.js';
import { reportParts } from './report-parts.js';

type Estimate = NonNullable<IndicatorsBody['programmes'][number]['placement']>;
const INDICATORS = ['placement', 'document', 'school', 'followUpEnded'] as const;
const SEXES = ['female', 'male'];
const AGE_BANDS = ['0-2', '3-5', '6-11', '12-17', '18-59', '60+'];

type Filters = { from: string; to: string; programme: string; operation: string; cohort: string; sex: string; ageBand: string };
const NO_FILTERS: Filters = { from: '', to: '', programme: '', operation: '', cohort: '', sex: '', ageBand: '' };

/** The outcome indicators page: filters in the address, a table and curves per indicator, then where people wait. */
export function indicatorsPage(kit: Kit & { ExportControls: typeof Exports }) {
  const { h, Fragment, useState, useEffect, api, query, consoleConfig, setHashQuery, useHashQuery, formatNumber, label, t, ErrorBox, ExportControls, Field, Loading, PageTitle, Select, Table, useLoad } = kit;
  const { ReportTabs, Curves, days, share } = reportParts(kit);

  function FilterForm({ applied }: { applied: Filters }) {
    const [filters, setFilters] = useState(applied);
    // Back and Forward bring other filters: the form shows them.
    useEffect(() => setFilters(applied), [JSON.stringify(applied)]);
    const { catalogue } = consoleConfig();
    const set = (name: keyof Filters) => (value: string) => setFilters({ ...filters, [name]: value });
    const any = { value: '', label: t('common.any') };
    const operations = catalogue.programmes.filter((p) => !filters.programme || p.code === filters.programme).flatMap((p) => p.operations);
    const phases = [...new Set(operations.filter((o) => !filters.operation || o.name === filters.operation).flatMap((o) => o.phases ?? []))].sort((a, b) => Number(a) - Number(b));
    const date = (name: 'from' | 'to') => (
      <Field id={`i-${name}`} label={t(`indicators.${name}`)}>
        <input id={`i-${name}`} type="date" value={filters[name]} onInput={(event) => set(name)((event.target as HTMLInputElement).value)} />
      </Field>
    );
    return (
      <form class="filters" onSubmit={(event) => { event.preventDefault(); setHashQuery(filters); }}>
        {date('from')}
        {date('to')}
        <Field id="i-programme" label={t('field.programme')}>
          <Select id="i-programme" value={filters.programme} onChange={set('programme')} options={[any, ...catalogue.programmes.map((p) => ({ value: p.code, label: p.code }))]} />
        </Field>
        <Field id="i-operation" label={t('field.operation')}>
          <Select id="i-operation" value={filters.operation} onChange={set('operation')} options={[any, ...[...new Set(operations.map((o) => o.name))].map((name) => ({ value: name, label: name }))]} />
        </Field>
        <Field id="i-cohort" label={t('field.phase')}>
          <Select id="i-cohort" value={filters.cohort} onChange={set('cohort')} options={[any, ...phases.map((p) => ({ value: p, label: p }))]} />
        </Field>
        <Field id="i-sex" label={t('field.sex')}>
          <Select id="i-sex" value={filters.sex} onChange={set('sex')} options={[any, ...SEXES.map((s) => ({ value: s, label: label('value', s) }))]} />
        </Field>
        <Field id="i-age" label={t('indicators.ageBand')}>
          <Select id="i-age" value={filters.ageBand} onChange={set('ageBand')} options={[any, ...AGE_BANDS.map((a) => ({ value: a, label: a }))]} />
        </Field>
        <button type="submit">{t('common.filter')}</button>
      </form>
    );
  }

  function IndicatorSection({ name, rows }: { name: (typeof INDICATORS)[number]; rows: { programme: string; estimate: Estimate | null }[] }) {
    const title = t(`indicators.${name}`);
    const counted = rows.filter((r): r is { programme: string; estimate: Estimate } => r.estimate !== null);
    return (
      <section>
        <h2>{title}</h2>
        {counted.length === 0 ? <p>{t('indicators.noClock')}</p> : (
          <>
            <Table caption={t('indicators.tableCaption', { indicator: title })}>
              <thead><tr>
                <th scope="col">{t('field.programme')}</th><th scope="col">{t('indicators.people')}</th><th scope="col">{t('indicators.reached')}</th>
                <th scope="col">{t('indicators.stillWaiting')}</th><th scope="col">{t('reports.median')}</th><th scope="col">{t('reports.p90')}</th>
                <th scope="col">{t('indicators.target')}</th><th scope="col">{t('indicators.withinTarget')}</th>
              </tr></thead>
              <tbody>
                {counted.map(({ programme, estimate: e }) => (
                  <tr key={programme}>
                    <th scope="row">{programme}</th><td>{formatNumber(e.people)}</td><td>{formatNumber(e.reached)}</td><td>{formatNumber(e.stillWaiting)}</td>
                    <td>{e.medianDays === null ? t('indicators.notReached') : days(e.medianDays)}</td><td>{e.p90Days === null ? t('indicators.notReached') : days(e.p90Days)}</td>
                    <td>{days(e.targetDays)}</td><td>{share(e.withinTarget)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Curves title={t('indicators.curveTitle', { indicator: title })} curves={counted.map((r) => ({ name: r.programme, points: r.estimate.curve }))} />
          </>
        )}
      </section>
    );
  }

  function IndicatorsPage(): h.JSX.Element {
    const address = useHashQuery();
    const applied = Object.fromEntries(Object.entries(NO_FILTERS).map(([name, none]) => [name, address[name] ?? none])) as Filters;
    const loaded = useLoad(() => api<IndicatorsBody>(`/v1/reports/indicators${query(applied)}`), [JSON.stringify(applied)]);
    const data = loaded.data;
    return (
      <section>
        <PageTitle>{t('reports.tab.indicators')}</PageTitle>
        <ReportTabs at="indicators" />
        <FilterForm applied={applied} />
        <ExportControls list="indicators" filters={applied} personal={false} titled />
        {loaded.loading ? <Loading /> : null}
        <ErrorBox error={loaded.error} />
        {data ? (
          <>
            <p class="muted">{t('indicators.method')}</p>
            {data.programmes.length === 0 ? <p>{t('indicators.nobody')}</p> : INDICATORS.map((name) => (
              <IndicatorSection key={name} name={name} rows={data.programmes.map((p) => ({ programme: p.programme, estimate: p[name] }))} />
            ))}
            <h2>{t('indicators.waitingNow')}</h2>
            <Counts caption={t('indicators.waitingNowCaption')} head={[t('field.stage'), t('indicators.waiting'), t('reports.overdueNow')]}
              rows={data.waitingNow.map((r) => ({ programme: r.programme, name: label('stage', r.stage), counts: [r.waiting, r.overdue] }))} />
            <h2>{t('indicators.options')}</h2>
            <Counts caption={t('indicators.optionsCaption')} head={[t('indicators.option'), t('indicators.chosen'), t('indicators.placed')]}
              rows={data.placementOptions.map((r) => ({ programme: r.programme, name: label('value', r.option), counts: [r.chosen, r.placed] }))} />
            <h2>{t('indicators.declined')}</h2>
            <Counts caption={t('indicators.declinedCaption')} head={[t('indicators.step'), t('indicators.people')]}
              rows={data.consentDeclined.map((r) => ({ programme: r.programme, name: label('action', r.step), counts: [r.people] }))} />
            <h2>{t('indicators.court')}</h2>
            <Counts caption={t('indicators.courtCaption')} head={[t('indicators.step'), t('indicators.people')]}
              rows={data.courtRoutes.map((r) => ({ programme: r.programme, name: label('action', r.step), counts: [r.people] }))} />
          </>
        ) : null}
      </section>
    );
  }

  /** Counts per programme and a named thing: a stage, an option, a step. */
  function Counts({ caption, head, rows }: { caption: string; head: string[]; rows: { programme: string; name: string; counts: number[] }[] }) {
    if (rows.length === 0) return <p>{t('indicators.none')}</p>;
    return (
      <Table caption={caption}>
        <thead><tr><th scope="col">{t('field.programme')}</th>{head.map((text) => <th key={text} scope="col">{text}</th>)}</tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.programme}-${r.name}`}><th scope="row">{r.programme}</th><td>{r.name}</td>{r.counts.map((n, i) => <td key={i}>{formatNumber(n)}</td>)}</tr>
          ))}
        </tbody>
      </Table>
    );
  }

  return IndicatorsPage;
}
