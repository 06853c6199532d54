import type { PathwayStatus, Role, StageName } from '../domain/model.js';
import type { ProjectedAction } from '../domain/pathway.js';
import type { Queryable } from './pool.js';

/** Where a page of the worklist continues: after this rank, moment and pathway id. */
export interface WorklistPosition {
  rank: number;
  /** As PostgreSQL prints `timestamptz::text`, or `infinity` for a pathway without a due date. */
  sortAt: string;
  id: string;
}

export interface WorklistFilters {
  organisation: string;
  actor: { id: string; role: Role };
  programme?: string;
  /** Only the decisions: work that a supervisor alone may do. */
  decisionsOnly: boolean;
  limit: number;
  after?: WorklistPosition;
}

export interface WorklistRow {
  id: string;
  programme: string;
  operation: string;
  phase: string | null;
  status: PathwayStatus;
  currentStage: StageName;
  overdue: boolean;
  dueAt: string | null;
  overdueSince: string | null;
  /** Null when the pathway has not been written since the worklist began: unknown. */
  work: ProjectedAction[] | null;
  /** The part of `work` this caller may send now. */
  mine: ProjectedAction[] | null;
  blockers: string[] | null;
}

/**
 * The organisation's open pathways, the caller's own work first. Work is what moves a pathway on
 * (its routine actions); exceptions (a referral, a rejection, reassigning, closing early) are
 * possible at most times and never what a pathway waits for. Rank 0 has an action for the caller and is overdue, 1 has an action, 2 is overdue, 3 the rest;
 * within a rank the earliest due date of an overdue stage (or of the current stage) first. One row
 * more than asked tells whether another page follows.
 */
const WORKLIST = `
  with candidates as (
    select p.id, p.programme, p.operation, p.phase, p.status, p.current_stage, p.overdue, p.available_actions,
           cs.due_at, cs.blockers,
           (select min(s.due_at) from pathway_stages s where s.pathway_id = p.id and s.overdue) as overdue_since
      from pathway_organisations o
      join pathways p on p.id = o.pathway_id
      left join pathway_stages cs on cs.pathway_id = p.id and cs.stage = p.current_stage
     where o.organisation = $1 and p.status <> 'closed' and ($4::text is null or p.programme = $4)),
  classified as (
    select c.*,
           case when c.available_actions is not null then coalesce(w.work, '[]'::jsonb) end as work,
           case when c.available_actions is not null then coalesce(w.mine, '[]'::jsonb) end as mine
      from candidates c
      cross join lateral (
        select jsonb_agg(a order by n) as work,
               jsonb_agg(a order by n) filter (
                 where a->'roles' ? $2 and not coalesce(a->'excludedActors' ? $3, false)
                   and (not $5::boolean or a->'roles' = '["supervisor"]'::jsonb)) as mine
          from jsonb_array_elements(c.available_actions) with ordinality as x(a, n)
         where coalesce((a->>'routine')::boolean, true)) w),
  ranked as (
    select c.*,
           (case when jsonb_array_length(coalesce(c.mine, '[]'::jsonb)) > 0 then 0 else 2 end) + (case when c.overdue then 0 else 1 end) as rank,
           coalesce(case when c.overdue then c.overdue_since end, c.due_at, 'infinity'::timestamptz) as sort_at
      from classified c)
  select r.*, r.sort_at::text as cursor_at
    from ranked r
   where (not $5::boolean or jsonb_array_length(coalesce(r.mine, '[]'::jsonb)) > 0)
     and ($6::int is null or (r.rank, r.sort_at, r.id) > ($6::int, $7::timestamptz, $8::uuid))
   order by r.rank, r.sort_at, r.id
   limit $9`;

const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

export async function worklist(db: Queryable, f: WorklistFilters): Promise<{ rows: WorklistRow[]; last?: WorklistPosition }> {
  const { rows } = await db.query(WORKLIST, [
    f.organisation, f.actor.role, f.actor.id, f.programme ?? null, f.decisionsOnly,
    f.after?.rank ?? null, f.after?.sortAt ?? null, f.after?.id ?? null, f.limit + 1,
  ]);
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  return {
    rows: page.map((r) => ({
      id: r.id,
      programme: r.programme,
      operation: r.operation,
      phase: r.phase,
      status: r.status,
      currentStage: r.current_stage,
      overdue: r.overdue,
      dueAt: isoOrNull(r.due_at),
      overdueSince: isoOrNull(r.overdue_since),
      work: r.work,
      mine: r.mine,
      blockers: r.blockers,
    })),
    last: last && { rank: last.rank, sortAt: last.cursor_at, id: last.id },
  };
}
