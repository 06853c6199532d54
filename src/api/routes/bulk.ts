import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../domain/model.js';
import { sendAction } from '../../pathways/actions.js';
import { withConcurrency } from '../../pathways/concurrency.js';
import type { AppDeps } from '../deps.js';
import { problemFor } from '../problems.js';
import { ActionRequest, PathwayId, Problem, withProblems } from '../schemas.js';

/** A cohort's arrival at most: larger selections go in several requests. */
export const MAX_BULK_ITEMS = 200;
/** Pathways acted on at once: a cohort's release must not crowd out everyone else's single steps. */
const CONCURRENCY = 4;

/** One action on one pathway: the single action's body, with its pathway and an id of its own that is required here. */
const BulkItem = z
  .discriminatedUnion(
    'type',
    (ActionRequest.options as unknown as z.ZodObject[]).map((variant) =>
      variant.extend({
        pathwayId: PathwayId,
        actionId: z.uuid().describe('Required: the same id sent again (the whole request or this item) is applied at most once'),
      }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ id: 'BulkActionItem' });
type BulkItem = ActionRequest & { pathwayId: string; actionId: string };

const BulkRequest = z
  .object({ items: z.array(BulkItem).min(1).max(MAX_BULK_ITEMS) })
  .strict()
  .superRefine(({ items }, ctx) => {
    const seen = new Map<string, number>();
    (items as { actionId: string }[]).forEach(({ actionId }, index) => {
      const first = seen.get(actionId.toLowerCase());
      if (first === undefined) seen.set(actionId.toLowerCase(), index);
      else ctx.addIssue({ code: 'custom', path: ['items', index, 'actionId'], message: `must differ from item ${first}'s: each action has its own id` });
    });
  });

const BulkResult = z.object({
  pathwayId: z.string(),
  actionId: z.string(),
  status: z
    .enum(['done', 'refused', 'failed'])
    .describe('done: recorded now, or already before under this actionId; refused: the pathway or the service said no, as `problem` says (sending it again changes nothing); failed: the outcome is unknown, send it again with the same actionId'),
  applied: z.boolean().optional().describe('For done: false when this actionId had already been applied'),
  version: z.number().optional().describe("For done: the pathway's version after the action"),
  problem: Problem.optional().describe('For refused and failed: the problem a single POST /v1/pathways/{id}/actions would have answered'),
});
type BulkResult = z.infer<typeof BulkResult>;

/** A refusal is the caller's to read; anything else (5xx) leaves the outcome unknown, and the same actionId is safe to send again. */
const statusOf = (problem: { status: number }): BulkResult['status'] => (problem.status < 500 ? 'refused' : 'failed');

/**
 * Each item through the very path of a single action (access, preconditions, the pathway's rules,
 * idempotency by actionId, audit), a few at a time; a pathway's own items in the order given.
 * Every item gets its answer: none is left half-done without saying so.
 */
async function runBulk(deps: AppDeps, actor: Actor, items: BulkItem[], requestId: string, log: FastifyBaseLogger): Promise<BulkResult[]> {
  const results: BulkResult[] = new Array(items.length);
  const byPathway = new Map<string, number[]>();
  items.forEach((item, index) => byPathway.set(item.pathwayId, [...(byPathway.get(item.pathwayId) ?? []), index]));
  await withConcurrency([...byPathway.values()], CONCURRENCY, async (indexes) => {
    for (const index of indexes) {
      const { pathwayId, ...action } = items[index]!;
      try {
        const done = await sendAction(deps, actor, pathwayId, action as ActionRequest, requestId, { withState: false });
        results[index] = { pathwayId, actionId: action.actionId, status: 'done', applied: done.applied, version: done.version };
      } catch (error) {
        // Typed loosely where it is built (`duplicates` as objects): the same body the error handler sends.
        const problem = problemFor(error, requestId) as z.infer<typeof Problem>;
        if (problem.status >= 500) log.error({ code: problem.code, item: index }, 'bulk item failed');
        results[index] = { pathwayId, actionId: action.actionId, status: statusOf(problem), problem };
      }
    }
  });
  return results;
}

export const bulkRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/v1/bulk-actions',
    {
      config: { roles: ['coordinator', 'staff', 'supervisor'] },
      schema: {
        summary: 'Record one step on each of many pathways (a cohort released, a selection claimed or assigned): one result per item, in order',
        description:
          `At most ${MAX_BULK_ITEMS} items, each with its own actionId. Each item is answered as its own POST /v1/pathways/{id}/actions would be, ` +
          'for the caller\'s role and organisation; the answer is 200 whatever each item\'s outcome, which its result says. ' +
          'Sending the same request again records nothing twice: items already applied answer done with applied: false.',
        tags: ['pathways'],
        body: BulkRequest,
        response: withProblems({ 200: z.object({ results: z.array(BulkResult) }) }, 403),
      },
    },
    async (request) => ({ results: await runBulk(deps, request.actor, request.body.items as BulkItem[], request.id, request.log) }),
  );
};
