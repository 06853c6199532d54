import { INDICATORS, type ObservationCount } from '../reports/indicators.js';
import type { Queryable } from './pool.js';

/** Which pathways an indicator counts: by arrival date and categories, never by a person. */
export interface IndicatorFilter {
  /** The caller's organisation; undefined for the oversight organisation (all). */
  organisation?: string;
  from?: string;
  to?: string;
  programme?: string;
  operation?: string;
  cohort?: string;
  sex?: string;
  ageBand?: string;
}


// A pathway closed as a duplicate is no person of its own.
const WHERE = `($1::text is null or exists (select 1 from pathway_organisations o where o.pathway_id = p.id and o.organisation = $1))
  and ($2::date is null or p.arrival_date >= $2) and ($3::date is null or p.arrival_date <= $3)
  and ($4::text is null or p.programme = $4) and ($5::text is null or p.operation = $5) and ($6::text is null or p.phase = $6)
  and ($7::text is null or p.sex = $7) and ($8::text is null or p.age_band = $8)
  and p.closure_reason is distinct from 'duplicate'`;

const params = (f: IndicatorFilter) => [f.organisation ?? null, f.from ?? null, f.to ?? null, f.programme ?? null, f.operation ?? null, f.cohort ?? null, f.sex ?? null, f.ageBand ?? null];

// The first document recorded counts even while the documentation stage goes on (a birth certificate after an identity card).
const DOCUMENT_STEPS = ['documentation.record-birth-certificate', 'documentation.record-identity-document'];

/** Court routes: guardianship petitions and orders, guardians by law, citizenship decisions, court decisions on security. */
export const COURT_STEPS = [
  'documentation.file-guardianship-petition',
  'documentation.record-guardianship-order',
  'documentation.record-guardian-by-law',
  'documentation.record-citizenship-decision',
  'security.record-court-decision',
];

export type { ObservationCount };

/**
 * Every indicator's observations in one statement, grouped by day so a cohort of hundreds comes
 * back as a few dozen rows. People who never have the stage (skipped, or not for their age) are
 * not counted; those still waiting are censored now, or at closure if closed without the event.
 */
export async function indicatorObservations(db: Queryable, filter: IndicatorFilter, now: Date): Promise<ObservationCount[]> {
  const stageOf = Object.entries(INDICATORS);
  const { rows } = await db.query(
    `with observed as (
       select p.programme, i.indicator,
              case when i.indicator = 'document' then least(case when s.status = 'done' then s.ended_at end, d.first_at)
                   when s.status = 'done' then s.ended_at end as reached_at,
              p.arrival_date, p.closed_at, s.ready_at
         from pathways p
         join pathway_stages s on s.pathway_id = p.id
         join unnest($9::text[], $10::text[]) as i(indicator, stage) on i.stage = s.stage
         left join lateral (select min(e.occurred_at) as first_at from audit_entries e
                             where e.pathway_id = p.id and e.type = any($12::text[])) d on i.indicator = 'document'
        -- A closed pathway's unfinished stages are skipped at closure: one that had become ready was waited for until then.
        where (s.status <> 'skipped' or (p.closed_at is not null and s.ready_at is not null)) and ${WHERE})
     select programme, indicator, (reached_at is not null) as event,
            greatest(0, floor(extract(epoch from coalesce(reached_at, closed_at, $11::timestamptz) - (arrival_date::timestamp at time zone 'UTC')) / 86400))::int as days,
            case when ready_at is not null then greatest(0, floor(extract(epoch from coalesce(reached_at, closed_at, $11::timestamptz) - ready_at) / 86400))::int end as "readyDays",
            count(*)::int as people
       from observed group by 1, 2, 3, 4, 5 order by 1, 2, 4, 5`,
    [...params(filter), stageOf.map(([k]) => k), stageOf.map(([, s]) => s), now.toISOString(), DOCUMENT_STEPS],
  );
  return rows as ObservationCount[];
}

/** Where people wait now: per programme and stage, people whose stage is open, and how many of those are overdue. */
export async function waitingNow(db: Queryable, filter: IndicatorFilter) {
  const { rows } = await db.query(
    `select p.programme, s.stage,
            count(*)::int as waiting,
            count(*) filter (where s.overdue)::int as overdue
       from pathway_stages s join pathways p on p.id = s.pathway_id
      where p.status <> 'closed' and s.status in ('ready', 'active', 'blocked') and ${WHERE}
      group by 1, 2 order by 1, 2`,
    params(filter),
  );
  return rows as { programme: string; stage: string; waiting: number; overdue: number }[];
}

/** Placement options: the latest option chosen per pathway, and how many of those were approved (the stage done). */
export async function placementOptions(db: Queryable, filter: IndicatorFilter) {
  const { rows } = await db.query(
    `select p.programme, c.option, count(*)::int as chosen,
            count(*) filter (where exists (select 1 from pathway_stages s where s.pathway_id = p.id and s.stage = 'placement' and s.status = 'done'))::int as placed
       from pathways p
       join lateral (select e.data->>'option' as option from audit_entries e
                      where e.pathway_id = p.id and e.type = 'placement.choose-option' order by e.seq desc limit 1) c on true
      where ${WHERE}
      group by 1, 2 order by 1, 2`,
    params(filter),
  );
  return rows as { programme: string; option: string; chosen: number; placed: number }[];
}

/** People with at least one step of a kind recorded: consent declined (`*.record-declined`) or a court route. */
export async function stepsRecorded(db: Queryable, filter: IndicatorFilter, kind: 'declined' | 'court') {
  const { rows } = await db.query(
    `select p.programme, e.type as step, count(distinct p.id)::int as people
       from audit_entries e join pathways p on p.id = e.pathway_id
      where (case when $9 = 'declined' then e.type like '%.record-declined' else e.type = any($10::text[]) end) and ${WHERE}
      group by 1, 2 order by 1, 2`,
    [...params(filter), kind, COURT_STEPS],
  );
  return rows as { programme: string; step: string; people: number }[];
}
