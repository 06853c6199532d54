import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

/**
 * Pathways written straight into PostgreSQL, as bench does: reports read only the projection and
 * the audit trail, so a hand-checkable dataset needs no workflow. Days count from the arrival.
 */
export interface ReportRow {
  programme: string;
  operation?: string;
  phase?: string;
  org?: string;
  sex?: 'female' | 'male';
  ageBand?: string;
  child?: boolean;
  /** Days before today the person arrived. */
  arrivedDaysAgo: number;
  /** Stages: done on a day, or open (`ready`), overdue or not. */
  stages?: Record<string, { doneOnDay?: number; overdue?: boolean; skipped?: boolean }>;
  /** Closed (without the events still open) on this day. */
  closedOnDay?: number;
  closureReason?: string;
  /** Audit steps recorded on a day. */
  steps?: { type: string; stage: string; day: number; data?: Record<string, unknown> }[];
}

const DAY_MS = 86_400_000;

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
}

// An hour into the day, so the whole number of days is the day meant.
const onDay = (arrival: string, day: number) => new Date(Date.parse(`${arrival}T01:00:00Z`) + day * DAY_MS).toISOString();

export async function writeReportRows(pool: Pool, rows: ReportRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    const id = randomUUID();
    const arrival = daysAgo(row.arrivedDaysAgo);
    const org = row.org ?? 'mlsp';
    const closed = row.closedOnDay !== undefined;
    await pool.query(
      `insert into pathways (id, programme, operation, phase, arrival_date, sex, age_band, is_child, template_version, opened_by, opened_org, status, closure_reason, closed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 1, 'coordinator-cora', $9, $10, $11, $12)`,
      [id, row.programme, row.operation ?? 'Zhusan', row.phase ?? null, arrival, row.sex ?? 'female', row.ageBand ?? (row.child ? '6-11' : '18-59'), row.child ?? false, org,
        closed ? 'closed' : 'active', closed ? (row.closureReason ?? 'withdrawn') : null, closed ? onDay(arrival, row.closedOnDay!) : null],
    );
    await pool.query('insert into pathway_organisations (pathway_id, organisation) values ($1, $2)', [id, org]);
    for (const [stage, s] of Object.entries(row.stages ?? {})) {
      // As the workflow leaves them: a stage that never applied was never ready; closing skips what is unfinished.
      const status = s.skipped || (closed && s.doneOnDay === undefined) ? 'skipped' : s.doneOnDay !== undefined ? 'done' : 'ready';
      await pool.query(
        `insert into pathway_stages (pathway_id, stage, status, ready_at, ended_at, overdue) values ($1, $2, $3, $4, $5, $6)`,
        [id, stage, status, s.skipped ? null : onDay(arrival, 0), s.doneOnDay !== undefined ? onDay(arrival, s.doneOnDay) : null, s.overdue ?? false],
      );
    }
    for (const [i, step] of (row.steps ?? []).entries()) {
      await pool.query(
        `insert into audit_entries (pathway_id, seq, kind, type, stage, occurred_at, actor_id, actor_role, actor_org, data, prev_hash, hash)
         values ($1, $2, 'action', $3, $4, $5, 'staff-sam', 'staff', $6, $7, '', '')`,
        [id, i + 1, step.type, step.stage, onDay(arrival, step.day), org, JSON.stringify(step.data ?? {})],
      );
    }
    ids.push(id);
  }
  return ids;
}

/** People on one programme's pathways, placed (or not yet) with an option chosen on day 5; `more` adds stages to the i-th. */
export function handCounted(name: 'KG' | 'KZ' | 'UZ', men: number, women: number, children: number, placedDays: number[], options: string[],
  more: (i: number) => ReportRow['stages'] = () => ({})): ReportRow[] {
  const kinds = [...Array(men).fill('man'), ...Array(women).fill('woman'), ...Array(children).fill('child')] as string[];
  return kinds.map((kind, i) => ({
    programme: name,
    operation: { KG: 'Meerim', KZ: 'Zhusan', UZ: 'Mehr' }[name],
    sex: kind === 'man' ? 'male' : 'female',
    child: kind === 'child',
    arrivedDaysAgo: 100,
    stages: { placement: placedDays[i] === undefined ? {} : { doneOnDay: placedDays[i] }, ...more(i) },
    steps: placedDays[i] === undefined ? [] : [{ type: 'placement.choose-option', stage: 'placement', day: 5, data: { option: options[i] } }],
  }));
}

/**
 * A dataset counted by hand, for the statistics and their file. Kazakhstan: 8 women, 6 children;
 * 8 placed on days 5, 10, 20, 30, 40, 60, 70, 80 (5 with relatives, 3 with their mother), 6 still
 * waiting on day 100. By hand: S = (14 − k)/14 after k placements, at most a half from the 7th
 * (day 70): the median; never 10%: the 90th percentile is not reached; 5 placed by the 45-day
 * target: 5/14. Uzbekistan: 6 women, 8 children, 3 placed: too few to show. Kyrgyzstan: one child,
 * a count Table 1 must hide. All in mlsp, but for another organisation's Kazakh child, counted for
 * the oversight organisation and the public only.
 */
export const HAND_COUNTED: ReportRow[] = [
  ...handCounted('KZ', 0, 8, 6, [5, 10, 20, 30, 40, 60, 70, 80], ['kinship', 'kinship', 'kinship', 'kinship', 'kinship', 'mother', 'mother', 'mother']),
  ...handCounted('UZ', 0, 6, 8, [10, 20, 30], ['kinship', 'kinship', 'kinship']),
  ...handCounted('KG', 0, 0, 1, [], []),
  { programme: 'KZ', org: 'akniet', child: true, arrivedDaysAgo: 100, stages: { placement: {} } },
];

/** Men, women and children of HAND_COUNTED in mlsp, per programme. */
export const HAND_COUNTED_PEOPLE: Record<string, number[]> = { KG: [0, 0, 1], KZ: [0, 8, 6], UZ: [0, 6, 8] };
