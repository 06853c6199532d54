import type { CaseloadFigures } from '../phases/caseload.js';
import type { ScaleFigures } from '../phases/scale.js';
import type { RoundFigures } from '../phases/compare.js';
import type { GrowthFigures } from '../phases/growth.js';
import type { SearchFigures } from '../phases/search.js';
import type { ExportFigures } from '../phases/export.js';
import type { CpuPer } from './proc.js';
import { median, round } from './stats.js';

/** One line of the summary: the service's figure, the baseline's, their ratio, and the goal (issues 10 and 26). */
export interface Row {
  figure: string;
  service?: number | string;
  baseline?: number | string;
  ratio?: number;
  target?: string;
  pass?: boolean;
}

const ratio = (a?: number, b?: number) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);

/** At least (>=) or at most (<=) `limit`. */
function goal(value: number | undefined, sense: '>=' | '<=', limit: number): { target: string; pass?: boolean } {
  return { target: `${sense} ${limit}`, pass: value === undefined ? undefined : sense === '>=' ? value >= limit : value <= limit };
}

const ms = (v?: number) => (v === undefined ? '-' : `${round(v)} ms`);

/** The figures of the comparison rounds: medians over the rounds, ratios of the medians. */
export function compareRows(service: RoundFigures[], baseline: RoundFigures[]): Row[] {
  const m = (rounds: RoundFigures[], pick: (r: RoundFigures) => number | undefined) => median(rounds.map(pick));
  const openS = m(service, (r) => r.open.perSecond);
  const openB = m(baseline, (r) => r.open.perSecond);
  const cohort = m(service, (r) => r.cohort?.perSecond);
  const cpu = (rounds: RoundFigures[], of: (r: RoundFigures) => CpuPer | undefined = (r) => r.open.cpuMs) => ({
    total: m(rounds, (r) => of(r)?.total),
    node: m(rounds, (r) => of(r)?.node),
    temporal: m(rounds, (r) => of(r)?.temporal),
    postgres: m(rounds, (r) => of(r)?.postgres),
  });
  const [cpuS, cpuB] = [cpu(service), cpu(baseline)];
  const cohortCpu = cpu(service, (r) => r.cohort?.cpuMs);
  const cpuRow = (figure: string, of: (r: RoundFigures) => CpuPer | undefined): Row => {
    const [s, b] = [cpu(service, of), cpu(baseline, of)];
    return { figure, service: split(s), baseline: split(b), ratio: ratio(s.total, b.total) };
  };
  const split = (c: typeof cpuS) => `${round(c.total)} ms (${[c.node, c.temporal, c.postgres].map((v) => (v === undefined ? '?' : round(v, v < 10 ? 1 : 0))).join(' / ')})`;
  // Memory from the first round: the workers are fresh then, and every pathway opened is still cached.
  const rssPer = (rounds: RoundFigures[]) => (rounds[0] ? rounds[0].open.rssDeltaMiB / rounds[0].open.count : undefined);
  const p = (rounds: RoundFigures[], kind: 'open' | 'read' | 'act', q: 'p50' | 'p99') =>
    m(rounds, (r) => (kind === 'open' ? r.open.latency[q] : r[kind][q]));
  const latencyRow = (figure: string, kind: 'open' | 'read' | 'act', q: 'p50' | 'p99', limit?: number): Row => {
    const [s, b] = [p(service, kind, q), p(baseline, kind, q)];
    const r = ratio(s, b);
    return { figure, service: ms(s), baseline: ms(b), ratio: r, ...(limit ? goal(r, '<=', limit) : {}) };
  };
  return [
    { figure: 'open: pathways recorded per second', service: round(openS, 1), baseline: round(openB, 1), ratio: ratio(openS, openB), ...goal(ratio(openS, openB), '>=', 1) },
    latencyRow('open: POST /v1/pathways vs workflow.start p50', 'open', 'p50'),
    latencyRow('open: POST /v1/pathways vs workflow.start p99', 'open', 'p99'),
    { figure: 'cohort in families of 4: recorded per second (vs single opens)', service: round(cohort, 1), baseline: round(openS, 1), ratio: ratio(cohort, openS), ...goal(ratio(cohort, openS), '>=', 1) },
    { figure: 'CPU per opened pathway (node / Temporal / PostgreSQL)', service: split(cpuS), baseline: split(cpuB), ratio: ratio(cpuS.total, cpuB.total), ...goal(ratio(cpuS.total, cpuB.total), '<=', 1.3) },
    { figure: 'CPU per pathway of the cohort (vs the baseline open)', service: split(cohortCpu), baseline: split(cpuB), ratio: ratio(cohortCpu.total, cpuB.total) },
    latencyRow('staff action p50 vs Update', 'act', 'p50', 1.1),
    latencyRow('staff action p99 vs Update', 'act', 'p99', 1.2),
    latencyRow('GET /v1/pathways/:id p50 vs query', 'read', 'p50', 0.6),
    latencyRow('GET /v1/pathways/:id p99 vs query', 'read', 'p99', 0.8),
    {
      figure: 'history events per staff action vs Update',
      service: round(m(service, (r) => r.act.historyEvents), 1),
      baseline: round(m(baseline, (r) => r.act.historyEvents), 1),
      ratio: ratio(m(service, (r) => r.act.historyEvents), m(baseline, (r) => r.act.historyEvents)),
    },
    cpuRow('CPU per staff action vs Update (node / Temporal / PostgreSQL)', (r) => r.act.cpuMs),
    cpuRow('CPU per read vs query (node / Temporal / PostgreSQL)', (r) => r.read.cpuMs),
    {
      figure: 'worker RSS per cached pathway (MiB)',
      service: round(rssPer(service), 2),
      baseline: round(rssPer(baseline), 2),
      ratio: ratio(rssPer(service), rssPer(baseline)),
      target: '<= 0.4 MiB',
      pass: rssPer(service) === undefined ? undefined : rssPer(service)! <= 0.4,
    },
  ];
}

export function caseloadRows(c: CaseloadFigures): Row[] {
  return [
    { figure: `caseload: ${c.people} people, closed`, service: `${c.closed} (${c.leftOpen} left open)`, pass: c.leftOpen === 0 },
    // The ratio only counts when every pathway closed, and every journey of the baseline ended.
    {
      figure: 'caseload: minutes from opening to last closure, vs the baseline driving the same events',
      service: `${round(c.totalSeconds / 60, 1)} min`,
      baseline: c.baseline ? `${round(c.baseline.seconds / 60, 1)} min (${c.baseline.updates} Updates, ${c.baseline.timers} timers; ${c.baseline.leftOpen} left)` : 'not run',
      ratio: c.baseline ? ratio(c.totalSeconds, c.baseline.seconds) : undefined,
      target: '<= 1.25',
      pass: c.baseline ? c.leftOpen === 0 && c.baseline.leftOpen === 0 && c.totalSeconds <= 1.25 * c.baseline.seconds : false,
    },
    { figure: 'caseload: accepted actions (per second)', service: `${c.acceptedActions} (${round(c.actionsPerSecond, 1)}/s)` },
    {
      figure: 'caseload: action p50 / p99 (vs Update); read p50 / p99',
      service: `${ms(c.action.p50)} / ${ms(c.action.p99)}; ${ms(c.read.p50)} / ${ms(c.read.p99)}`,
      ...(c.baseline ? { baseline: `${ms(c.baseline.update.p50)} / ${ms(c.baseline.update.p99)}` } : {}),
    },
    { figure: 'caseload: GET /v1/reports/caseload reproduces Table 1', service: c.reportMatches ? 'yes' : 'no', pass: c.reportMatches },
  ];
}

export function growthRows({ steps, notReached }: GrowthFigures): Row[] {
  const rows: Row[] = steps.map((s) => ({
    figure: `growth x${s.multiple}: ${s.live} live; sample open / action / read p50`,
    service: `${ms(s.open.p50)} / ${ms(s.action.p50)} / ${ms(s.read.p50)}; worker ${round(s.workerRssMiB)} MiB`,
  }));
  for (const multiple of notReached) rows.push({ figure: `growth x${multiple}: not reached within the phase's time`, pass: false });
  const [first, last] = [steps[0], steps[steps.length - 1]];
  if (first && last && last !== first) {
    const action = ratio(last.action.p50, first.action.p50);
    const open = ratio(last.open.p50, first.open.p50);
    rows.push({ figure: `growth: action p50 at x${last.multiple} / x${first.multiple}`, ratio: action, ...goal(action, '<=', 1.2) });
    rows.push({ figure: `growth: open p50 at x${last.multiple} / x${first.multiple}`, ratio: open, ...goal(open, '<=', 1.2) });
  }
  return rows;
}

export function scaleRows(s: ScaleFigures): Row[] {
  const kept = ratio(s.last.perSecond, s.first.perSecond);
  return [
    {
      figure: `scale: single opens/s with ${s.last.live} alive vs ${s.first.live}`,
      service: `${round(s.last.perSecond, 1)} vs ${round(s.first.perSecond, 1)}`,
      ratio: kept,
      ...goal(kept, '>=', 1),
    },
    {
      figure: `scale: worker peak RSS with ${s.pathways} opened (cache ${s.cachedPathways})`,
      service: `${round(s.peakRssMiB)} MiB`,
      target: `<= ${round(s.budgetMiB)} MiB`,
      pass: s.peakRssMiB <= s.budgetMiB,
    },
  ];
}

export function searchRows({ steps }: SearchFigures): Row[] {
  return steps.flatMap((s) => [
    { figure: `search: GET /v1/people among ${s.people.toLocaleString('en')} people p50`, service: ms(s.latency.p50), ...goal(s.latency.p50, '<=', 100) },
    { figure: `search: GET /v1/people among ${s.people.toLocaleString('en')} people p99`, service: ms(s.latency.p99), ...goal(s.latency.p99, '<=', 100) },
  ]);
}

export function exportRows({ runs }: ExportFigures): Row[] {
  return runs.flatMap((r) => [
    { figure: `export: ${r.pathways.toLocaleString('en')} pathways as ${r.format}, time (first byte)`, service: `${round(r.seconds, 1)} s (${round(r.firstByteSeconds, 1)} s)` },
    {
      figure: `export: ${r.pathways.toLocaleString('en')} pathways as ${r.format}, API RSS / heap / heap kept growth`,
      service: `+${round(r.rssGrowthMiB)} / +${round(r.heapGrowthMiB)} / +${round(r.retainedHeapGrowthMiB)} MiB`,
      target: '<= 64 MiB',
      pass: r.rssGrowthMiB <= 64,
    },
  ]);
}

/** A plain-text table for the terminal (and the README). */
export function formatTable(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.figure,
    String(r.service ?? ''),
    String(r.baseline ?? ''),
    r.ratio === undefined ? '' : String(round(r.ratio, 2)),
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL',
  ]);
  const header = ['figure', 'Pathways', 'baseline', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
