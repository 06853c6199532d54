import type { Queryable } from './pool.js';

/** The other pathways of a family group. */
export async function familyGroupMembers(db: Queryable, familyGroupId: string, exceptPathwayId: string) {
  const { rows } = await db.query<{ pathwayId: string; isChild: boolean }>(
    `select id as "pathwayId", is_child as "isChild" from pathways where family_group_id = $1 and id <> $2 order by opened_at, id`,
    [familyGroupId, exceptPathwayId],
  );
  return rows;
}
