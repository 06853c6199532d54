import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PathwayStatus, Programme, Role, StageName } from '../../domain/model.js';
import { ShownPerson } from '../../domain/person-shown.js';
import { visibleWorklist } from '../../pathways/worklist.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

export const WorklistQuery = z
  .object({
    programme: Programme.optional(),
    kind: z
      .enum(['approvals'])
      .optional()
      .describe(
        'approvals (supervisors only): the pathways awaiting a decision the caller may take, i.e. work only a supervisor may do ' +
          '(approving a placement or an early close, closing a completed pathway); never a decision the caller prepared (four eyes)',
      ),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

const WorklistAction = z.object({ type: z.string(), stage: StageName });

/** What an approval approves, from the entries that prepared it (src/db/decisions.ts). */
export const Decision = z
  .object({
    kind: z.string().describe('placement, or another decision a supervisor approves'),
    option: z.string().optional().describe('The option chosen (a placement option)'),
    household: z.string().optional().describe('The household reference the child would live in'),
    reason: z.string().optional().describe('The reason given (a closure)'),
    preparedBy: z.string().nullable().describe('Who asked for the approval'),
    preparedAt: z.string().nullable().describe('When they asked'),
  })
  .meta({ id: 'WorklistDecision' });

export const WorklistItem = z
  .object({
    id: z.string(),
    programme: Programme,
    operation: z.string(),
    phase: z.string().nullable(),
    status: PathwayStatus,
    currentStage: StageName,
    overdue: z.boolean(),
    dueAt: z.string().nullable().describe('When the current stage is due, if it has a target'),
    overdueSince: z.string().nullable().describe('The earliest due date of a stage that is overdue'),
    actions: z
      .array(WorklistAction)
      .nullable()
      .describe('The work the caller may do now (GET the pathway for example payloads and exceptions); null when not known yet, see note'),
    waitingFor: z
      .object({
        roles: z.array(Role),
        actions: z.array(
          WorklistAction.extend({
            roles: z.array(Role),
            fourEyes: z.literal(true).optional().describe('The caller prepared this decision: another supervisor must take it'),
          }),
        ),
      })
      .nullable()
      .describe('When the caller has no action: the roles and actions the pathway waits for (none when it waits for time or other stages)'),
    blockers: z.array(z.string()).nullable().describe('Why the current stage cannot start or end yet; null when not known yet'),
    note: z.string().optional().describe('Set when what the pathway waits for is not known yet'),
    via: z
      .enum(['organisation', 'referral', 'transfer'])
      .describe("organisation: one of the caller's organisation's pathways; referral: a stage referred to it (currentStage is that stage); transfer: offered to it"),
    referredStage: StageName.nullable().describe(
      'The stage referred to the caller\'s organisation this item is about: a pathway with two stages referred to it is listed once for each; null otherwise',
    ),
    assignedTo: z.string().nullable().describe("Who of the caller's organisation holds it (the pathway, or the referred stage)"),
    claimable: z.boolean().describe('Nobody holds it: the caller (staff) may claim it with pathway.claim'),
    person: ShownPerson.describe('Who it is for: name, birth date as known and age; initials when a supervisor hid the name'),
    decision: Decision.nullable().describe('The decision the caller may approve now (kind=approvals and the worklist alike), summarised; null when none'),
  })
  .meta({ id: 'WorklistItem' });

const Worklist = z.object({ items: z.array(WorklistItem), nextCursor: z.string().nullable() });

export const worklistRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/worklist',
    {
      config: { roles: ['coordinator', 'staff', 'supervisor'] },
      schema: {
        summary: "The caller's work: pathways assigned to them and unassigned ones they may claim, those with an action for the caller first, most overdue first",
        description:
          'Read from what each pathway stores when it changes, with who it is for (name, birth date, age; initials for a hidden name). ' +
          'Each pathway listed is written to the access log (what: worklist). Work is what moves a pathway on ' +
          '(its routine actions); exceptions (a referral, a rejection, reassigning, closing early) are in the pathway\'s state. ' +
          'Oversight supervisors get their own organisation\'s pathways, the only ones they act on. Pathways assigned to someone else ' +
          'of the caller\'s organisation are left out (except for kind=approvals); stages referred to the caller\'s organisation and ' +
          'transfers offered to it are listed too.',
        tags: ['pathways'],
        querystring: WorklistQuery,
        response: withProblems({ 200: Worklist }, 403),
      },
    },
    async (request) => visibleWorklist(deps, request.actor, request.query, request.id),
  );
};
