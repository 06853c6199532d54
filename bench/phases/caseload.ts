import { crewOf } from '../lib/api.js';
import { openCohorts, type Bench } from '../lib/context.js';
import { DriveTally, driveToClosure } from '../lib/driver.js';
import { driveJourneys, journeysOf, type JourneyFigures } from '../lib/journeys.js';
import { caseloadCohorts, scaledTable, tableTotal, type Programme, type Table } from '../lib/people.js';
import { latencies, progress, round, type Latencies } from '../lib/stats.js';

export interface ReportCheck {
  programme: string;
  expected: { men: number; women: number; children: number; total: number };
  reported?: { men: number; women: number; children: number; total: number; open: number };
  matches: boolean;
}

export interface CaseloadFigures {
  people: number;
  cohorts: number;
  openSeconds: number;
  driveSeconds: number;
  /** From the first cohort request until the last pathway closed. */
  totalSeconds: number;
  closed: number;
  leftOpen: number;
  acceptedActions: number;
  actionsPerSecond: number;
  reads: number;
  raced: number;
  retried: number;
  action: Latencies;
  read: Latencies;
  report: ReportCheck[];
  reportMatches: boolean;
  /** Table 1 as printed gives Uzbekistan 435 in all, but 141 women and 334 children are 475. */
  sourceNote: string;
  problems: string[];
  /** The bare baseline driving the same events: each pathway's Updates and timers, in its order and at its intervals. */
  baseline?: JourneyFigures;
}

/** One organisation for the caseload alone, so that the caseload report counts it and nothing else. */
const crew = crewOf('bench-caseload');

/** The report's rows against the table: each programme's men, women and children, and their total. */
function checkReport(table: Table, reported: { programme: string; men: number; women: number; children: number; total: number; open: number }[]): ReportCheck[] {
  return (Object.keys(table) as Programme[]).map((programme) => {
    const row = table[programme];
    const expected = { ...row, total: row.men + row.women + row.children };
    const got = reported.find((r) => r.programme === programme);
    const matches = !!got && got.men === expected.men && got.women === expected.women && got.children === expected.children && got.total === expected.total;
    return { programme, expected, reported: got, matches };
  });
}

/**
 * The regional caseload: Table 1 opened as cohorts by operation, in family groups, driven through
 * every stage to closure through the API only, with a compressed clock; then the caseload report
 * must give Table 1 back.
 */
export async function caseloadPhase(bench: Bench): Promise<CaseloadFigures> {
  const table = scaledTable(bench.sizes.caseloadFactor);
  const cohorts = caseloadCohorts(table, 'caseload');
  const people = tableTotal(table);
  if (bench.sizes.caseloadFactor === 1) progress('caseload: Table 1 gives Uzbekistan 435 in all, but its rows (141 women, 334 children) make 475: the rows are opened, 1,360 people');
  progress(`caseload: opening ${people} people in ${cohorts.length} cohorts (clock x${bench.sizes.clockScale})`);
  const started = performance.now();
  const problems: string[] = [];
  const ids = await openCohorts(bench.fastApi, bench.pool, crew, cohorts, 'caseload', problems);
  const opened = performance.now();
  progress(`caseload: ${ids.length} opened in ${round((opened - started) / 1000, 1)} s; driving them to closure with ${bench.sizes.drivers} clients`);

  const tally = new DriveTally();
  const ticker = setInterval(() => {
    const s = (performance.now() - opened) / 1000;
    progress(`caseload: ${tally.closed}/${ids.length} closed, ${tally.accepted} actions accepted (${round(tally.accepted / s, 1)}/s)`);
  }, 15_000);
  let left: string[];
  try {
    ({ open: left } = await driveToClosure(bench.fastApi, crew, ids, { drivers: bench.sizes.drivers, deadline: Date.now() + bench.sizes.caseloadLimitMs, tally }));
  } finally {
    clearInterval(ticker);
  }
  const done = performance.now();

  const answer = await bench.api.request(crew.supervisors[0], 'GET', '/v1/reports/caseload');
  const report = answer.status === 200 ? checkReport(table, answer.body.programmes) : [];
  const driveSeconds = (done - opened) / 1000;
  const figures: CaseloadFigures = {
    people,
    cohorts: cohorts.length,
    openSeconds: (opened - started) / 1000,
    driveSeconds,
    totalSeconds: (done - started) / 1000,
    closed: tally.closed,
    leftOpen: left.length,
    acceptedActions: tally.accepted,
    actionsPerSecond: tally.accepted / driveSeconds,
    reads: tally.reads,
    raced: tally.raced,
    retried: tally.retried,
    action: latencies(tally.actionMs),
    read: latencies(tally.readMs),
    report,
    // Men, women and children per programme; whether they all closed is a figure of its own.
    reportMatches: report.length > 0 && report.every((r) => r.matches),
    sourceNote: 'Table 1 as printed (seed 004) gives Uzbekistan 435 in all, but its rows (141 women, 334 children) make 475; the bench opens the rows, so the whole caseload is 1,360, not 1,320.',
    problems: [...problems, ...tally.problems],
  };
  progress(`caseload: the baseline drives the same events (${bench.sizes.drivers} clients)`);
  figures.baseline = await driveJourneys(bench.bare, bench.baselineTaskQueue, await journeysOf(bench.pool, ids), {
    drivers: bench.sizes.drivers,
    deadline: Date.now() + bench.sizes.caseloadLimitMs,
    prefix: `journey-${Date.now()}`,
  });
  const b = figures.baseline;
  progress(`caseload: the baseline's ${b.done}/${b.journeys} journeys (${b.updates} Updates, ${b.timers} timers) ended in ${round(b.seconds)} s`);
  progress(
    `caseload: ${figures.closed}/${ids.length} closed in ${round(figures.totalSeconds)} s, ${figures.acceptedActions} actions (${round(figures.actionsPerSecond, 1)}/s); report ${figures.reportMatches ? 'matches' : 'DOES NOT match'} Table 1`,
  );
  return figures;
}
