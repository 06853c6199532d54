/** @jsxRuntime classic */
/** @jsx h */
// Shared by the report pages, which are fetched when opened (pages/index.tsx): the
// console's parts come in `kit`, so this script imports nothing at run time.
import type { h } from 'preact';
import type { Kit } from './kit.js';

/** A curve of the share still waiting, by days since arrival (Kaplan–Meier steps). */
export interface Curve {
  name: string;
  points: { day: number; stillWaiting: number }[];
}

// Told apart by their dashes as well as their colours, so a printout or a colour-blind reader can too.
// Colours as SVG attributes: the page's policy allows no style but the console's own file.
const DASHES = ['', '8 4', '2 4', '12 4 2 4', '4 8'];
const COLOURS = ['#0b5394', '#a04d00', '#2d7d46', '#7a3fa0', '#1a1a1a'];
// Larger than the bar chart's: the curves shrink with the screen, and a phone shows them at 60%.
const LABEL = { 'font-size': 17, fill: '#1a1a1a' };
const line = (i: number) => ({ fill: 'none', stroke: COLOURS[i % COLOURS.length], 'stroke-width': 2.5, 'stroke-dasharray': DASHES[i % DASHES.length] });
const WIDTH = 600;
const HEIGHT = 240;
const LEFT = 52;
const BOTTOM = 40;

/** The report pages' shared parts. */
export function reportParts(kit: Kit) {
  const { h, formatNumber, href, t } = kit;

  /** The report pages, the one shown marked for screen readers as well as by its look. */
  function ReportTabs({ at }: { at: 'reports' | 'indicators' | 'statistics' | 'exports' }): h.JSX.Element {
    const tabs: [typeof at, string, string][] = [
      ['reports', href('reports'), t('reports.tab.caseload')],
      ['indicators', href('reports', 'indicators'), t('reports.tab.indicators')],
      ['statistics', href('reports', 'statistics'), t('reports.tab.statistics')],
      ['exports', href('reports', 'exports'), t('reports.tab.exports')],
    ];
    return (
      <nav class="report-tabs" aria-label={t('reports.tabs')}>
        {tabs.map(([name, link, text]) => (
          <a key={name} href={link} aria-current={name === at ? 'page' : undefined}>{text}</a>
        ))}
      </nav>
    );
  }

  /** Days as the tables show them: a number, or a dash for none. */
  const days = (value: number | null | undefined) => (value === null || value === undefined ? '–' : formatNumber(value, 1));
  /** A share 0..1 as a percentage. */
  const share = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${formatNumber(value * 100, 0)} %`);

  /**
   * Step curves in SVG, no library: each programme's share still waiting after each day, a line
   * at 50% where the median is read; each curve named in the legend.
   */
  function Curves({ title, curves }: { title: string; curves: Curve[] }) {
    const shown = curves.filter((c) => c.points.length > 0);
    if (shown.length === 0) return null;
    const last = Math.max(1, ...shown.flatMap((c) => c.points.map((p) => p.day)));
    const x = (day: number) => LEFT + (day / last) * (WIDTH - LEFT - 10);
    const y = (share: number) => 8 + (1 - share) * (HEIGHT - BOTTOM - 8);
    const path = (points: Curve['points']) => {
      let d = `M${x(0)},${y(1)}`;
      let level = 1;
      for (const p of points) {
        d += ` H${x(p.day)} V${y(p.stillWaiting)}`;
        level = p.stillWaiting;
      }
      return `${d} H${x(last)} V${y(level)}`;
    };
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * last));
    return (
      <figure class="chart curves">
        <figcaption>{title}</figcaption>
        <svg role="img" aria-label={`${title}: ${shown.map((c) => c.name).join(', ')}`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" preserveAspectRatio="xMinYMin meet">
          {[0, 0.5, 1].map((s) => (
            <g key={s}>
              <line x1={LEFT} x2={WIDTH - 10} y1={y(s)} y2={y(s)} stroke={s === 0.5 ? '#555' : '#c8c8c8'} stroke-dasharray={s === 0.5 ? '2 3' : undefined} />
              <text x={LEFT - 6} y={y(s) + 4} {...LABEL} text-anchor="end">{`${s * 100}%`}</text>
            </g>
          ))}
          {[...new Set(ticks)].map((day) => (
            <text key={day} x={x(day)} y={HEIGHT - BOTTOM + 20} {...LABEL} text-anchor="middle">{formatNumber(day)}</text>
          ))}
          <text x={WIDTH - 10} y={HEIGHT - 2} {...LABEL} text-anchor="end">{t('indicators.axisDays')}</text>
          {shown.map((c, i) => (
            <path key={c.name} d={path(c.points)} {...line(i)} data-curve={c.name} />
          ))}
        </svg>
        <ul class="legend">
          {shown.map((c, i) => (
            <li key={c.name}>
              <svg width="36" height="10" aria-hidden="true"><line x1="0" x2="36" y1="5" y2="5" {...line(i)} /></svg>
              {c.name}
            </li>
          ))}
        </ul>
      </figure>
    );
  }

  return { ReportTabs, Curves, days, share };
}
