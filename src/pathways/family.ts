import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { recordListAccess } from '../db/access-log.js';
import { familyGroupRows, type FamilyMemberRow } from '../db/family-groups.js';
import type { Pool } from '../db/pool.js';
import { ArrivedWith, PathwayStatus, PlacementOption, Sex, StageName, type Actor } from '../domain/model.js';
import { ShownPerson, shownPerson } from '../domain/person-shown.js';
import { accessVia, allowedAccess } from './access.js';

/**
 * How a member stands to the pathway asked about, from what is stored: two children of one group
 * are siblings (the placement rules treat them so); the one woman of the group is a child's mother
 * when the child arrived with its mother, and such a child is hers. Anything else is a `member`.
 */
export const Relation = z.enum(['self', 'mother', 'child', 'sibling', 'member']);
export type Relation = z.infer<typeof Relation>;

export const FamilyMember = z.object({
  pathwayId: z.string(),
  relation: Relation,
  person: ShownPerson,
  sex: Sex,
  isChild: z.boolean(),
  arrivedWith: ArrivedWith.nullable().describe('Null for pathways opened before it was kept with the pathway'),
  status: PathwayStatus,
  currentStage: StageName,
  overdue: z.boolean(),
  placement: z
    .object({ option: PlacementOption, householdId: z.string(), approved: z.boolean() })
    .nullable()
    .describe('The placement option last chosen (as corrected), and whether a supervisor approved it; null before one is chosen'),
});
export type FamilyMember = z.infer<typeof FamilyMember>;

export const FamilyGroup = z.object({
  pathwayId: z.string(),
  group: z
    .object({ id: z.string(), programme: z.string(), operation: z.string(), phase: z.string().nullable(), arrivalDate: z.string() })
    .nullable()
    .describe("The group's id within its organisation's arrival; null when the pathway belongs to no family group"),
  members: z.array(FamilyMember).describe('The pathway itself and the members the reader may read, adults first, then by birth date'),
  notShown: z.number().int().describe('Members of the group the reader may not read: counted, not shown'),
});
export type FamilyGroup = z.infer<typeof FamilyGroup>;

function relationOf(me: FamilyMemberRow, member: FamilyMemberRow, rows: FamilyMemberRow[]): Relation {
  if (member.id === me.id) return 'self';
  if (me.isChild && member.isChild) return 'sibling';
  const women = rows.filter((r) => !r.isChild && r.sex === 'female');
  const onlyWoman = (row: FamilyMemberRow) => women.length === 1 && women[0]!.id === row.id;
  if (me.isChild && me.arrivedWith === 'mother' && onlyWoman(member)) return 'mother';
  if (member.isChild && member.arrivedWith === 'mother' && onlyWoman(me)) return 'child';
  return 'member';
}

function placementOf(row: FamilyMemberRow): FamilyMember['placement'] {
  const choice = PlacementOption.safeParse(row.placementChoice?.option);
  if (!choice.success || typeof row.placementChoice?.householdId !== 'string') return null;
  return { option: choice.data, householdId: row.placementChoice.householdId, approved: row.placementStage === 'done' };
}

function memberOf(me: FamilyMemberRow, row: FamilyMemberRow, rows: FamilyMemberRow[], today: string): FamilyMember {
  return {
    pathwayId: row.id,
    relation: relationOf(me, row, rows),
    person: shownPerson(row, { today }),
    sex: row.sex,
    isChild: row.isChild,
    arrivedWith: ArrivedWith.safeParse(row.arrivedWith).data ?? null,
    status: row.status as FamilyMember['status'],
    currentStage: row.currentStage as FamilyMember['currentStage'],
    overdue: row.overdue,
    placement: placementOf(row),
  };
}

/**
 * A pathway's family group as its reader may see it. The group is shown like the audit trail: to
 * the pathway's own organisations and oversight (a referral's or transfer's receiver does not see
 * the family group in the state either), 404 to anyone else. Each member is shown under the same
 * rule for that member (a name, stage and placement are the member's whole state, more than a
 * referral shows); the others are counted. Every member shown is logged ('family'), in one
 * statement, before anything is answered.
 */
export async function familyGroup(deps: { pool: Pool; config: Config }, actor: Actor, pathwayId: string, requestId: string): Promise<FamilyGroup> {
  const rows = await familyGroupRows(deps.pool, pathwayId, actor);
  const me = rows.find((row) => row.id === pathwayId);
  allowedAccess(me, deps.config, actor, 'audit');
  const seen = rows.flatMap((row) => {
    const via = accessVia(row, deps.config, actor);
    return via === 'organisation' || via === 'oversight' ? [{ row, via }] : [];
  });
  await recordListAccess(deps.pool, { pathways: seen.map(({ row, via }) => ({ id: row.id, via })), actor, what: 'family', requestId });
  const today = new Date().toISOString().slice(0, 10);
  const { familyGroupId, programme, operation, phase, arrivalDate } = me!;
  return {
    pathwayId,
    group: familyGroupId ? { id: familyGroupId, programme, operation, phase, arrivalDate } : null,
    members: seen.map(({ row }) => memberOf(me!, row, rows, today)),
    notShown: rows.length - seen.length,
  };
}
