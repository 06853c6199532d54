import type { PathwayStatus, Role, StageName } from '../domain/model.js';
import type { ProjectedAction } from '../domain/projection.js';
import { personColumns, shownPerson, type PersonRow, type ShownPerson } from '../domain/person-shown.js';
import { decisionOf, decisionSql, type DecisionSummary } from './decisions.js';
import type { Queryable } from './pool.js';
import { pageOf } from './page.js';

/** Where a page of the worklist continues: after this rank, moment and pathway id. */
export interface WorklistPosition {
  rank: number;
  /** As PostgreSQL prints `timestamptz::text`, or `infinity` for a pathway without a due date. */
  sortAt: string;
  id: string;
  /** The referred stage of the row, or '' for a row of the whole pathway. */
  stage: string;
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
  /** How the caller's organisation comes to see it: its own, or a referral or transfer offered to it. */
  via: 'organisation' | 'referral' | 'transfer';
  /** The stage referred to the caller's organisation that this row is about: each is a row of its own. */
  referredStage: StageName | null;
  /** Who of the caller's organisation holds it (the pathway, or the referred stage), if anyone. */
  assignedTo: string | null;
  /** The caller holds the pathway or one of its stages. */
  assignedToCaller: boolean;
  /** Its work is the organisation's to take: its own pathway, or an accepted referral. */
  claimableByOrganisation: boolean;
  /** Who it is for, as lists show it (initials for a hidden name). */
  person: ShownPerson;
  /** The decision the caller may approve on this row, summarised; null when none. */
  decision: DecisionSummary | null;
}

/**
 * The open pathways the organisation works on (its own, and those whose stage was referred or
 * whose transfer was offered to it), those assigned to someone else left out, the caller's own work first. Work is what moves a pathway on
 * (its routine actions); exceptions (a referral, a rejection, reassigning, closing early) are
 * possible at most times and never what a pathway waits for. Rank 0 has an action for the caller and is overdue, 1 has an action, 2 is overdue, 3 the rest;
 * within a rank the earliest due date of an overdue stage (or of the current stage) first. One row
 * more than asked tells whether another page follows.
 */
export const WORKLIST = `
  with reachable as (
    select o.pathway_id as id, 'organisation' as via, null::text as stage, null::text as share_status
      from pathway_organisations o where o.organisation = $1
    union all
    select s.pathway_id, case when s.kind = 'referral' then 'referral' else 'transfer' end, s.stage, s.status
      from pathway_shares s
     where s.to_org = $1 and s.status in ('pending', 'accepted')
       -- A transfer offer is for those who answer it: coordinators and supervisors.
       and (s.kind = 'referral' or $2 <> 'staff')
       and not exists (select 1 from pathway_organisations o where o.pathway_id = s.pathway_id and o.organisation = $1)),
  -- One row per pathway, except that each stage referred to the organisation is a row of its own.
  visible as (select distinct on (id, coalesce(stage, '')) id, via, stage, share_status from reachable order by id, coalesce(stage, ''), via),
  candidates as (
    select p.id, p.programme, p.operation, p.phase, coalesce(v.stage, p.current_stage) as current_stage, v.via, v.stage as referred_stage,
           -- Legal proceedings are not another organisation's business.
           case when v.via = 'organisation' then p.status else 'active' end as status,
           -- Staff claim their organisation's work, or a referral it accepted.
           (v.via = 'organisation' or v.share_status = 'accepted') as claimable_by_organisation,
           case when v.stage is null then p.overdue else coalesce(cs.overdue, false) end as overdue, p.available_actions,
           cs.due_at, case when v.via = 'transfer' then '[]'::jsonb else cs.blockers end as blockers,
           (select min(s.due_at) from pathway_stages s where s.pathway_id = p.id and s.overdue and (v.stage is null or s.stage = v.stage)) as overdue_since,
           exists (select 1 from pathway_assignments a where a.pathway_id = p.id and a.organisation = $1 and a.assignee = $3
                    and (v.stage is null or a.scope = v.stage)) as assigned_to_caller,
           (select a.assignee from pathway_assignments a where a.pathway_id = p.id and a.organisation = $1
             and a.scope = coalesce(v.stage, 'pathway')) as holder
      from visible v
      join pathways p on p.id = v.id
      left join pathway_stages cs on cs.pathway_id = p.id and cs.stage = coalesce(v.stage, p.current_stage)
     where p.status <> 'closed' and ($4::text is null or p.programme = $4)),
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
         where coalesce((a->>'routine')::boolean, true)
           -- Another organisation's people see only the work the pathway offers them, on the row of its stage.
           and (case when a ? 'organisations' then a->'organisations' ? $1 else c.via = 'organisation' end)
           and (c.referred_stage is null or a->>'stage' = c.referred_stage)) w),
  ranked as (
    select c.*,
           (case when jsonb_array_length(coalesce(c.mine, '[]'::jsonb)) > 0 then 0 else 2 end) + (case when c.overdue then 0 else 1 end) as rank,
           coalesce(case when c.overdue then c.overdue_since end, c.due_at, 'infinity'::timestamptz) as sort_at
      from classified c)
  select r.*, r.sort_at::text as cursor_at, coalesce(r.referred_stage, '') as row_stage, ${personColumns('pe')},
         ${decisionSql('r')} as decision
    from ranked r
    join people pe on pe.pathway_id = r.id
   where (not $5::boolean or jsonb_array_length(coalesce(r.mine, '[]'::jsonb)) > 0)
     -- The caller's work: assigned to them, or not yet to anyone of their organisation (decisions whoever holds it).
     and ($5::boolean or r.assigned_to_caller or r.holder is null)
     and ($6::int is null or (r.rank, r.sort_at, r.id, coalesce(r.referred_stage, '')) > ($6::int, $7::timestamptz, $8::uuid, $10::text))
   order by r.rank, r.sort_at, r.id, coalesce(r.referred_stage, '')
   limit $9`;

/** The parameters of WORKLIST ($1-$10); without a limit, every row (an export). */
export function worklistParams(f: Omit<WorklistFilters, 'limit'> & { limit?: number }): unknown[] {
  return [f.organisation, f.actor.role, f.actor.id, f.programme ?? null, f.decisionsOnly,
    f.after?.rank ?? null, f.after?.sortAt ?? null, f.after?.id ?? null, f.limit === undefined ? null : f.limit + 1, f.after?.stage ?? ''];
}

export const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

export async function worklist(db: Queryable, f: WorklistFilters): Promise<{ rows: WorklistRow[]; last?: WorklistPosition }> {
  const { rows } = await db.query(WORKLIST, worklistParams(f));
  const { page, last } = pageOf(rows, f.limit);
  const today = new Date().toISOString().slice(0, 10);
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
      via: r.via,
      referredStage: r.referred_stage,
      assignedTo: r.holder,
      assignedToCaller: r.assigned_to_caller,
      claimableByOrganisation: r.claimable_by_organisation,
      person: shownPerson(r as PersonRow, { today }),
      decision: decisionOf(r.decision),
    })),
    last: last && { rank: last.rank, sortAt: last.cursor_at, id: last.id, stage: last.row_stage },
  };
}
