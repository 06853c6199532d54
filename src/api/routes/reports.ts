import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseload, caseloadByWorker, stageDurations, stageObservations } from '../../db/reports.js';
import { expand } from '../../reports/indicators.js';
import { kaplanMeier } from '../../reports/survival.js';
import { scopeOf } from '../../pathways/access.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

const Caseload = z.object({
  programmes: z.array(z.object({ programme: z.string(), men: z.number(), women: z.number(), children: z.number(), total: z.number(), open: z.number() })),
  byCurrentStage: z.array(z.object({ programme: z.string(), stage: z.string(), people: z.number() })),
});

const WorkerCaseload = z.object({
  workers: z.array(
    z.object({
      worker: z.string().describe('The id people sign in with'),
      organisation: z.string(),
      openPathways: z.number().describe('Open pathways the worker holds, whole or a stage of'),
      overdue: z.number().describe('Of those, the ones overdue now'),
    }),
  ),
});

const CaseloadQuery = z
  .object({ by: z.enum(['programme', 'worker']).default('programme').describe('programme: people by programme and stage; worker: each assigned worker\'s load') })
  .strict();

const StageDurations = z.object({
  stages: z.array(
    z.object({
      programme: z.string(),
      stage: z.string(),
      completed: z.number().describe('Stages finished'),
      medianDays: z.number().nullable().describe('Median days from ready to done, of the finished only (flatters a stage that leaves its hardest cases waiting)'),
      p90Days: z.number().nullable().describe('90th percentile of days from ready to done, of the finished only'),
      waitingMedianDays: z.number().nullable().describe('Kaplan–Meier median days from ready to done, people still in the stage counted as waiting; null: not reached'),
      waitingP90Days: z.number().nullable().describe('Kaplan–Meier 90th percentile; null: not reached'),
      inProgress: z.number(),
      overdueNow: z.number(),
    }),
  ),
});

/** Aggregates only: counts and durations, never a person. */
export const reportRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const scope = (actor: Parameters<typeof scopeOf>[0]) => scopeOf(actor, deps.config);

  app.get(
    '/v1/reports/caseload',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'People by programme (men, women, children) and by current stage; or, by=worker, each worker\'s open and overdue pathways',
        tags: ['reports'],
        querystring: CaseloadQuery,
        response: withProblems({ 200: z.union([Caseload, WorkerCaseload]) }, 403),
      },
    },
    async (request) =>
      request.query.by === 'worker' ? { workers: await caseloadByWorker(deps.pool, scope(request.actor)) } : caseload(deps.pool, scope(request.actor)),
  );

  app.get(
    '/v1/reports/stage-durations',
    {
      config: { roles: ['supervisor'] },
      schema: { summary: 'Time spent per programme and stage, and how many are overdue now', tags: ['reports'], response: withProblems({ 200: StageDurations }, 403) },
    },
    async (request) => {
      const [stages, observations] = await Promise.all([stageDurations(deps.pool, scope(request.actor)), stageObservations(deps.pool, scope(request.actor), new Date())]);
      return {
        stages: stages.map((row) => {
          const estimate = kaplanMeier(expand(observations.filter((o) => o.programme === row.programme && o.stage === row.stage)));
          return { ...row, waitingMedianDays: estimate.median ?? null, waitingP90Days: estimate.p90 ?? null };
        }),
      };
    },
  );
};
