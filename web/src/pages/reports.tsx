/** @jsxRuntime classic */
/** @jsx h */
// Fetched when opened (pages/index.tsx), like the webhooks page: the console's parts come in `kit`
// (see kit.ts), so this script imports nothing and the main one stays within its budget.
import type { h } from 'preact';
import type { Kit } from './kit.js';
import type { ExportControls as Exports } from './export-controls.js';
import { reportParts } from './report-parts.js';

interface Caseload {
  programmes: { programme: string; men: number; women: number; children: number; total: number; open: number }[];
  byCurrentStage: { programme: string; stage: string; people: number }[];
}
interface Durations {
  stages: { programme: string; stage: string; completed: number; medianDays: number | null; p90Days: number | null; waitingMedianDays: number | null; inProgress: number; overdueNow: number }[];
}

interface Workers {
  workers: { worker: string; organisation: string; openPathways: number; overdue: number }[];
}

/** The reports page, made of the console's parts. */
export function reportsPage(kit: Kit & { ExportControls: typeof Exports }) {
  const { h, api, Org, formatNumber, label, t, ErrorBox, ExportControls, Free, Loading, PageTitle, Table, useLoad } = kit;
  const { ReportTabs } = reportParts(kit);
  /** A horizontal bar chart in SVG: no library, readable without colour (each bar is labelled). */
  function BarChart({ title, rows }: { title: string; rows: { label: string; value: number; text: string }[] }) {
    const max = Math.max(1, ...rows.map((row) => row.value));
    const height = rows.length * 26 + 4;
    return (
      <figure class="chart">
        <figcaption>{title}</figcaption>
        <svg role="img" aria-label={title} viewBox={`0 0 600 ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
          {rows.map((row, index) => (
            <g key={row.label} transform={`translate(0 ${index * 26 + 2})`}>
              <text x="0" y="16" class="chart-label">
                {row.label}
              </text>
              <rect x="260" y="3" height="18" width={Math.max(1, (row.value / max) * 260)} class="chart-bar" />
              <text x={268 + (row.value / max) * 260} y="16" class="chart-value">
                {row.text}
              </text>
            </g>
          ))}
        </svg>
      </figure>
    );
  }

  const days = (value: number | null) => (value === null ? '–' : formatNumber(value, 1));

  /** Caseload and where people wait longest, per programme and stage: counts only, never a person. */
  function ReportsPage(): h.JSX.Element {
    const loaded = useLoad(
      () => Promise.all([api<Caseload>('/v1/reports/caseload'), api<Durations>('/v1/reports/stage-durations'), api<Workers>('/v1/reports/caseload?by=worker')]),
      [],
    );
    if (!loaded.data) return loaded.error ? <ErrorBox error={loaded.error} /> : <Loading />;
    const [caseload, durations, { workers }] = loaded.data;
    const slowest = durations.stages.filter((s) => s.medianDays !== null).sort((a, b) => b.medianDays! - a.medianDays!).slice(0, 12);
    return (
      <section>
        <PageTitle>{t('nav.reports')}</PageTitle>
        <ReportTabs at="reports" />
        <ExportControls list="caseload" personal={false} titled />
        <ExportControls list="stage-durations" personal={false} titled />
        <h2>{t('reports.caseload')}</h2>
        <Table caption={t('reports.caseloadCaption')}>
          <thead><tr><th scope="col">{t('field.programme')}</th><th scope="col">{t('reports.men')}</th><th scope="col">{t('reports.women')}</th><th scope="col">{t('reports.children')}</th><th scope="col">{t('reports.total')}</th><th scope="col">{t('reports.open')}</th></tr></thead>
          <tbody>
            {caseload.programmes.map((p) => (
              <tr key={p.programme}><th scope="row">{p.programme}</th><td>{formatNumber(p.men)}</td><td>{formatNumber(p.women)}</td><td>{formatNumber(p.children)}</td><td>{formatNumber(p.total)}</td><td>{formatNumber(p.open)}</td></tr>
            ))}
          </tbody>
        </Table>
        <BarChart title={t('reports.byStageChart')} rows={caseload.byCurrentStage.map((row) => ({ label: `${row.programme} · ${label('stage', row.stage)}`, value: row.people, text: formatNumber(row.people) }))} />
        <h2>{t('reports.workers')}</h2>
        {workers.length ? (
          <Table caption={t('reports.workersCaption')}>
            <thead><tr><th scope="col">{t('reports.worker')}</th><th scope="col">{t('reports.organisation')}</th><th scope="col">{t('reports.openPathways')}</th><th scope="col">{t('reports.overdueNow')}</th></tr></thead>
            <tbody>
              {workers.map((w) => (
                <tr key={`${w.organisation}-${w.worker}`}><th scope="row"><Free>{w.worker}</Free></th><td><Org id={w.organisation} /></td><td>{formatNumber(w.openPathways)}</td><td>{formatNumber(w.overdue)}</td></tr>
              ))}
            </tbody>
          </Table>
        ) : <p>{t('reports.noWorkers')}</p>}
        <h2>{t('reports.durations')}</h2>
        <BarChart title={t('reports.slowestChart')} rows={slowest.map((s) => ({ label: `${s.programme} · ${label('stage', s.stage)}`, value: s.medianDays!, text: t('reports.daysValue', { days: Math.round(s.medianDays! * 10) / 10 }) }))} />
        <Table caption={t('reports.durationsCaption')}>
          <thead><tr><th scope="col">{t('field.programme')}</th><th scope="col">{t('field.stage')}</th><th scope="col">{t('reports.completed')}</th><th scope="col">{t('reports.median')}</th><th scope="col">{t('reports.p90')}</th><th scope="col">{t('reports.waitingMedian')}</th><th scope="col">{t('reports.inProgress')}</th><th scope="col">{t('reports.overdueNow')}</th></tr></thead>
          <tbody>
            {durations.stages.map((s) => (
              <tr key={`${s.programme}-${s.stage}`}><th scope="row">{s.programme}</th><td>{label('stage', s.stage)}</td><td>{formatNumber(s.completed)}</td><td>{days(s.medianDays)}</td><td>{days(s.p90Days)}</td><td>{s.waitingMedianDays === null ? t('indicators.notReached') : days(s.waitingMedianDays)}</td><td>{formatNumber(s.inProgress)}</td><td>{formatNumber(s.overdueNow)}</td></tr>
            ))}
          </tbody>
        </Table>
      </section>
    );
  }

  return ReportsPage;
}
