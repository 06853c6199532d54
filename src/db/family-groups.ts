import type { Actor } from '../domain/model.js';
import { personColumns, type PersonRow } from '../domain/person-shown.js';
import { ACCESS_COLUMNS, type PathwayAccessRow } from './pathway-access.js';
import type { Queryable } from './pool.js';

/**
 * The other pathways of this pathway's family group. A group is its id within one organisation's
 * arrival (programme, operation, phase, date): the same id written by another organisation, or
 * for another arrival, is another family.
 */
export async function familyGroupMembers(db: Queryable, pathwayId: string) {
  return (await familyGroupsOf(db, [pathwayId])).get(pathwayId) ?? [];
}

/** The other members of each pathway's family group, for many pathways at once. */
export async function familyGroupsOf(db: Queryable, pathwayIds: string[]): Promise<Map<string, { pathwayId: string; isChild: boolean }[]>> {
  const { rows } = await db.query<{ of: string; pathwayId: string; isChild: boolean }>(
    `select p.id as "of", o.id as "pathwayId", o.is_child as "isChild"
       from pathways p
       join pathways o on o.family_group_id = p.family_group_id and o.opened_org = p.opened_org
                      and o.programme = p.programme and o.operation = p.operation
                      and o.phase is not distinct from p.phase and o.arrival_date = p.arrival_date
      where p.id = any($1::uuid[]) and o.id <> p.id
      order by p.id, o.opened_at, o.id`,
    [pathwayIds],
  );
  const groups = new Map<string, { pathwayId: string; isChild: boolean }[]>();
  for (const { of, ...member } of rows) groups.set(of, [...(groups.get(of) ?? []), member]);
  return groups;
}

/** One pathway of a family group as its page shows it, with what decides whether its reader may see it. */
export interface FamilyMemberRow extends PathwayAccessRow, PersonRow {
  isChild: boolean;
  sex: 'female' | 'male';
  arrivedWith: string | null;
  currentStage: string;
  overdue: boolean;
  placementStage: string | null;
  placementChoice: { option?: string; householdId?: string } | null;
  familyGroupId: string | null;
  phase: string | null;
  arrivalDate: string;
}

/**
 * The pathway $1 and every pathway of its family group (same id, organisation and arrival), each
 * with its access columns for the reader ($2 id, $3 organisation, $4 role), its person, and its
 * placement: the last option chosen (as a correction left it) and whether the placement stage is
 * done, which it is once a supervisor approved it. Empty when there is no such pathway.
 */
export async function familyGroupRows(db: Queryable, pathwayId: string, actor: Actor): Promise<FamilyMemberRow[]> {
  const { rows } = await db.query<FamilyMemberRow>(
    `with me as (select * from pathways where id = $1)
     select ${ACCESS_COLUMNS}, p.is_child as "isChild", p.sex, p.arrived_with as "arrivedWith", p.current_stage as "currentStage",
            p.overdue, p.family_group_id as "familyGroupId", p.phase, to_char(p.arrival_date, 'YYYY-MM-DD') as "arrivalDate",
            ${personColumns('pe')}, ps.status as "placementStage", choice.data as "placementChoice"
       from me
       join pathways p on p.id = me.id
                       or (p.family_group_id = me.family_group_id and p.opened_org = me.opened_org and p.programme = me.programme
                           and p.operation = me.operation and p.phase is not distinct from me.phase and p.arrival_date = me.arrival_date)
       join people pe on pe.pathway_id = p.id
       left join pathway_stages ps on ps.pathway_id = p.id and ps.stage = 'placement'
       left join lateral (
         select coalesce((select c.data -> 'payload' from audit_entries c
                           where c.pathway_id = p.id and c.type = 'correction' and c.data -> 'entry' = to_jsonb(a.seq)
                           order by c.seq desc limit 1), a.data) as data
           from audit_entries a where a.pathway_id = p.id and a.type = 'placement.choose-option'
          order by a.seq desc limit 1) choice on true
      order by p.is_child, pe.birth_date, p.id`,
    [pathwayId, actor.id, actor.org, actor.role],
  );
  return rows;
}
