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
