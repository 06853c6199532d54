import type { Queryable } from './pool.js';

const SCOPE = `($1::text is null or exists (select 1 from pathway_organisations o where o.pathway_id = p.id and o.organisation = $1))`;


/** The reports' queries, $1 the organisation (null: every one); exports run the same text. */
export const CASELOAD_PROGRAMMES = `select p.programme,
            count(*) filter (where not p.is_child and p.sex = 'male')::int as men,
            count(*) filter (where not p.is_child and p.sex = 'female')::int as women,
            count(*) filter (where p.is_child)::int as children,
            count(*)::int as total,
            count(*) filter (where p.status <> 'closed')::int as open
       -- A pathway closed as a duplicate is no person of its own.
       from pathways p where ${SCOPE} and p.closure_reason is distinct from 'duplicate'
      group by p.programme order by p.programme`;

export const CASELOAD_STAGES = `select p.programme, p.current_stage as stage, count(*)::int as people
       from pathways p where p.status <> 'closed' and ${SCOPE}
      group by 1, 2 order by 1, 2`;

export const STAGE_DURATIONS = `select p.programme, s.stage,
            count(*) filter (where s.ended_at is not null)::int as completed,
            percentile_cont(0.5) within group (order by extract(epoch from s.ended_at - s.ready_at))
              filter (where s.ended_at is not null) / 86400 as median_days,
            percentile_cont(0.9) within group (order by extract(epoch from s.ended_at - s.ready_at))
              filter (where s.ended_at is not null) / 86400 as p90_days,
            count(*) filter (where s.status in ('ready', 'active', 'blocked'))::int as in_progress,
            count(*) filter (where s.overdue)::int as overdue_now
       from pathway_stages s join pathways p on p.id = s.pathway_id
      where s.ready_at is not null and s.status <> 'skipped' and ${SCOPE} and p.closure_reason is distinct from 'duplicate'
      group by 1, 2 order by 1, 2`;

export const CASELOAD_WORKERS = `select a.assignee, a.organisation,
            count(distinct p.id)::int as open,
            -- A stage's holder answers for that stage being overdue; the pathway's, for any.
            count(distinct p.id) filter (where case when a.scope = 'pathway' then p.overdue else coalesce(s.overdue, false) end)::int as overdue
       from pathway_assignments a join pathways p on p.id = a.pathway_id
       left join pathway_stages s on s.pathway_id = a.pathway_id and s.stage = a.scope
      where p.status <> 'closed' and ($1::text is null or a.organisation = $1)
      group by 1, 2 order by 4 desc, 3 desc, 1, 2`;

/** People by programme as men, women and children (the shape of the field report's Table 1). */
export async function caseload(db: Queryable, organisation: string | undefined) {
  const programmes = await db.query(
    CASELOAD_PROGRAMMES,
    [organisation ?? null],
  );
  const stages = await db.query(
    CASELOAD_STAGES,
    [organisation ?? null],
  );
  return { programmes: programmes.rows, byCurrentStage: stages.rows };
}

/** Per programme and stage: how long finished stages took (median, 90th percentile) and how many are overdue now. */
export async function stageDurations(db: Queryable, organisation: string | undefined) {
  const { rows } = await db.query(
    STAGE_DURATIONS,
    [organisation ?? null],
  );
  return rows.map((r) => ({
    programme: r.programme,
    stage: r.stage,
    completed: r.completed,
    medianDays: r.median_days,
    p90Days: r.p90_days,
    inProgress: r.in_progress,
    overdueNow: r.overdue_now,
  }));
}

/** Per programme and stage: days from ready to done, people still in the stage censored now or at closure, grouped by day. */
export async function stageObservations(db: Queryable, organisation: string | undefined, now: Date) {
  const { rows } = await db.query(
    `select p.programme, s.stage, (s.status = 'done' and s.ended_at is not null) as event,
            greatest(0, floor(extract(epoch from coalesce(case when s.status = 'done' then s.ended_at end, p.closed_at, $2::timestamptz) - s.ready_at) / 86400))::int as days,
            count(*)::int as people
       from pathway_stages s join pathways p on p.id = s.pathway_id
      where s.ready_at is not null and (s.status <> 'skipped' or p.closed_at is not null) and ${SCOPE} and p.closure_reason is distinct from 'duplicate'
      group by 1, 2, 3, 4 order by 1, 2, 4`,
    [organisation ?? null, now.toISOString()],
  );
  return rows as { programme: string; stage: string; event: boolean; days: number; people: number }[];
}

/** Each worker's load: the open pathways they hold (whole, or a stage of), and how many of those are overdue (for a stage: that stage). */
export async function caseloadByWorker(db: Queryable, organisation: string | undefined) {
  const { rows } = await db.query(
    CASELOAD_WORKERS,
    [organisation ?? null],
  );
  return rows.map((r) => ({ worker: r.assignee, organisation: r.organisation, openPathways: r.open, overdue: r.overdue }));
}
