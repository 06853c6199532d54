import type { PathwayStatus, StageName } from '../domain/model.js';
import { personColumns, shownPerson, type PersonRow, type ShownPerson } from '../domain/person-shown.js';
import type { Queryable } from './pool.js';
import { pageOf } from './page.js';

export interface ListFilters {
  programme?: string;
  operation?: string;
  stage?: string;
  status?: string;
  overdue?: boolean;
  phase?: string;
  arrivalDate?: string;
  familyGroup?: string;
  /** Only pathways of this organisation; unset for oversight. */
  organisation?: string;
  /** The reader's organisation: how they come to see each pathway (their own, or oversight). */
  readerOrg: string;
  limit: number;
  /** Continue after this pathway (opened_at as PostgreSQL prints it, and id). */
  after?: { openedAt: string; id: string };
}

export interface ListedPathway {
  id: string;
  programme: string;
  operation: string;
  phase: string | null;
  arrivalDate: string;
  familyGroupId: string | null;
  sex: string;
  ageBand: string;
  isChild: boolean;
  status: PathwayStatus;
  currentStage: StageName;
  overdue: boolean;
  openedAt: string;
  updatedAt: string;
  /** Who it is for, as lists show it (initials for a hidden name). */
  person: ShownPerson;
  /** How the reader sees it: one of its organisations, or oversight. */
  via: 'organisation' | 'oversight';
}

/**
 * The pathways list: filters $1-$6 and $10-$12, continuing after ($7, $8), $9 rows at most (null: all),
 * $13 the reader's organisation. Exports run the same text, so a file holds what the list shows.
 */
export const LIST_PATHWAYS = `select p.id, p.programme, p.operation, p.phase, to_char(p.arrival_date, 'YYYY-MM-DD') as arrival_date, p.family_group_id,
            p.sex, p.age_band, p.is_child, p.status, p.current_stage, p.overdue, p.opened_at, p.opened_at::text as cursor_at, p.updated_at,
            exists (select 1 from pathway_organisations o where o.pathway_id = p.id and o.organisation = $13) as own, ${personColumns('pe')}
       from pathways p
       join people pe on pe.pathway_id = p.id
      where ($1::text is null or p.programme = $1)
        and ($2::text is null or p.operation = $2)
        and ($3::text is null or p.current_stage = $3)
        and ($4::text is null or p.status = $4)
        and ($5::boolean is null or p.overdue = $5)
        and ($6::text is null or exists (select 1 from pathway_organisations o where o.pathway_id = p.id and o.organisation = $6))
        and ($10::text is null or p.phase = $10)
        and ($11::date is null or p.arrival_date = $11)
        and ($12::text is null or p.family_group_id = $12)
        and ($7::timestamptz is null or (p.opened_at, p.id) < ($7::timestamptz, $8::uuid))
      order by p.opened_at desc, p.id desc
      limit $9`;

/** The parameters of LIST_PATHWAYS; without a limit, every row (an export). */
export function listParams(f: Omit<ListFilters, 'limit'> & { limit?: number }): unknown[] {
  return [f.programme ?? null, f.operation ?? null, f.stage ?? null, f.status ?? null, f.overdue ?? null, f.organisation ?? null,
    f.after?.openedAt ?? null, f.after?.id ?? null, f.limit === undefined ? null : f.limit + 1, f.phase ?? null, f.arrivalDate ?? null,
    f.familyGroup ?? null, f.readerOrg];
}

/** Newest first; fetches one more than asked to know whether another page follows. */
export async function listPathways(db: Queryable, f: ListFilters): Promise<{ items: ListedPathway[]; last?: { openedAt: string; id: string } }> {
  const { rows } = await db.query(LIST_PATHWAYS, listParams(f));
  const { page, last } = pageOf(rows, f.limit);
  const today = new Date().toISOString().slice(0, 10);
  const items = page.map((r): ListedPathway => ({
    id: r.id,
    programme: r.programme,
    operation: r.operation,
    phase: r.phase,
    arrivalDate: r.arrival_date,
    familyGroupId: r.family_group_id,
    sex: r.sex,
    ageBand: r.age_band,
    isChild: r.is_child,
    status: r.status,
    currentStage: r.current_stage,
    overdue: r.overdue,
    openedAt: r.opened_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    person: shownPerson(r as PersonRow, { today }),
    via: r.own ? 'organisation' : 'oversight',
  }));
  return { items, last: last && { openedAt: last.cursor_at, id: last.id } };
}

/** Who each of these pathways is for, as lists show them (initials for a hidden name), by pathway id. */
export async function shownPeople(db: Queryable, pathwayIds: string[]): Promise<Map<string, ShownPerson>> {
  if (!pathwayIds.length) return new Map();
  const { rows } = await db.query<PersonRow & { pathway_id: string }>(
    `select pe.pathway_id, ${personColumns('pe')} from people pe where pe.pathway_id = any($1::uuid[])`,
    [pathwayIds],
  );
  const today = new Date().toISOString().slice(0, 10);
  return new Map(rows.map((row) => [row.pathway_id, shownPerson(row, { today })]));
}
