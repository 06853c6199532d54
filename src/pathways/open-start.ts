import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import { groupSignal, type PathwayWorkflow } from '../../workflows/definitions.js';
import { OPERATION, OVERDUE, PROGRAMME, STAGE, STATUS } from '../../workflows/search-attributes.js';
import type { Summary } from '../../workflows/view.js';
import { familyGroupsOf } from '../db/family-groups.js';
import type { Pool, Queryable } from '../db/pool.js';
import { workflowIdOf } from '../domain/model.js';
import type { GroupEvent, PathwayInput } from '../domain/pathway.js';
import { AppError } from '../errors.js';

// Starting the workflows an opening wrote: their family groups, their start, and the members who came late.

interface StartDeps {
  client: Client;
  config: Config;
}

/** Where a pathway stands as it starts: its opening's, when the API wrote it; otherwise intake. */
const INTAKE: Summary = { currentStage: 'intake', status: 'active', overdue: false };

export async function startPathway(deps: StartDeps, input: PathwayInput, summary = INTAKE): Promise<void> {
  try {
    await deps.client.workflow.start<PathwayWorkflow>('pathway', {
      workflowId: workflowIdOf(input.pathwayId),
      taskQueue: deps.config.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: PROGRAMME, value: input.programme },
        { key: OPERATION, value: input.operation },
        { key: STAGE, value: summary.currentStage },
        { key: STATUS, value: summary.status },
        { key: OVERDUE, value: summary.overdue },
      ],
    });
  } catch (error) {
    // A retry after the pathway already ran to its end: it exists, which is all the caller needs.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    // Temporal is away or not ready: the pathway's row is written, and a retry with the same
    // Idempotency-Key starts its workflow.
    throw new AppError('unavailable', 'Temporal did not start the pathway; retry later with the same Idempotency-Key.', { retryAfterSeconds: 5 });
  }
}

/**
 * Tells each new pathway its family group, so that members opened together need not look each
 * other up nor signal each other; members from earlier requests are marked to be told.
 */
export async function addFamilyMembers(db: Queryable, inputs: PathwayInput[]) {
  const grouped = inputs.filter((input) => input.familyGroupId !== undefined);
  if (grouped.length === 0) return;
  const together = new Set(inputs.map((input) => input.pathwayId));
  const groups = await familyGroupsOf(db, grouped.map((input) => input.pathwayId));
  for (const input of grouped) {
    input.familyMembers = (groups.get(input.pathwayId) ?? []).map((member) => (together.has(member.pathwayId) ? member : { ...member, openedEarlier: true }));
  }
}

/**
 * Members of the group who committed after this request looked its groups up told their
 * pathways' workflows they joined, which fails for a workflow not started yet: told again here,
 * now that every workflow of this request runs. A second telling changes nothing.
 */
export async function announceLateMembers(deps: StartDeps & { pool: Pool }, inputs: PathwayInput[]) {
  const grouped = inputs.filter((input) => input.familyMembers !== undefined);
  if (grouped.length === 0) return;
  const groups = await familyGroupsOf(deps.pool, grouped.map((input) => input.pathwayId));
  for (const input of grouped) {
    const given = new Set(input.familyMembers!.map((member) => member.pathwayId));
    for (const late of (groups.get(input.pathwayId) ?? []).filter((member) => !given.has(member.pathwayId))) {
      const event: GroupEvent = { kind: 'joined', isChild: late.isChild, from: late.pathwayId };
      await deps.client.workflow
        .getHandle(workflowIdOf(input.pathwayId))
        .signal(groupSignal, event)
        // A pathway that has closed since (a retry long after) does not need the news.
        .catch((error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        });
    }
  }
}

/** What the first attempt of an opening wrote: when, and the family group its opening's view shows (absent when it could not be built). */
export interface EarlierOpening {
  openedAt: number;
  members?: { pathwayId: string; isChild: boolean }[];
}

/** The openings written for these pathways, for those that have one (their first entry). */
export async function earlierOpenings(db: Queryable, ids: string[]): Promise<Map<string, EarlierOpening>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ id: string; at: Date; members: EarlierOpening['members'] | null; viewed: boolean }>(
    `select p.id, a.occurred_at as at, p.view->'familyGroup'->'members' as members, p.view is not null as viewed
       from pathways p join audit_entries a on a.pathway_id = p.id and a.seq = 1
      where p.id = any($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, { openedAt: row.at.getTime(), ...(row.viewed ? { members: row.members ?? [] } : {}) }]));
}
