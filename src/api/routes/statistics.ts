import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDate } from '../../domain/open.js';
import { isPublic, publicList, setPublic } from '../../db/statistics.js';
import { Programme } from '../../domain/model.js';
import { AppError } from '../../errors.js';
import { isOversight, scopeOf } from '../../pathways/access.js';
import { statisticsOf } from '../../reports/compute.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';
import { DATES_OUT_OF_ORDER, datesInOrder } from './indicators.js';

// A real calendar date: 2021-02-30 is refused here, not by the database.
const Day = IsoDate;

/** The statistics' filters, as the route and its file (GET /v1/exports/statistics) take them. */
export const StatisticsFilters = z.object({
  programme: Programme.optional().describe('One programme; unset: every programme the caller may count'),
  from: Day.optional().describe('Arrivals on or after this date'),
  to: Day.optional().describe('Arrivals on or before this date'),
});
const StatisticsQuery = StatisticsFilters.strict().refine(datesInOrder, DATES_OUT_OF_ORDER);

const Cell = z.object({
  count: z.number().nullable().describe('null when hidden'),
  suppressed: z.boolean().describe('Hidden: under the threshold, or it would let a hidden count be worked out (which of the two is not said)'),
});
const Table = z.object({
  rows: z.array(z.string()),
  columns: z.array(z.string()),
  cells: z.array(z.array(Cell)),
  rowTotals: z.array(Cell).nullable().describe('null: not published (an indicator table when the people table hides something)'),
  columnTotals: z.array(Cell).nullable(),
  total: Cell.nullable(),
});
const Days = z.union([z.number(), z.enum(['not-reached', 'hidden'])]);
const Published = z.object({
  people: Cell,
  reached: Cell,
  stillWaiting: Cell,
  durationShown: z.boolean().describe('False unless the number who reached the event is shown and at least the threshold'),
  medianDays: Days,
  p90Days: Days,
  targetDays: z.number().nullable(),
  withinTarget: z.number().nullable().describe('Share within the target, to the percent; null when hidden or no target'),
});
export const Statistics = z.object({
  threshold: z.number(),
  method: z.string(),
  people: Table.describe('Programme × men, women, children (the field report\'s Table 1)'),
  placements: Table.describe('Programme × people placed by option, and not yet placed'),
  documents: Table.describe('Programme × with a birth certificate or identity document, not yet'),
  enrolments: Table.describe('Programme × enrolled in school or kindergarten, not yet'),
  followUp: Table.describe('Programme × follow-up ended, not yet'),
  indicators: z.array(z.object({ programme: z.string(), placement: Published, document: Published, school: Published, followUpEnded: Published })),
});

export type StatisticsBody = z.infer<typeof Statistics>;
/** What a supervisor reads: the statistics, and which programmes anyone may read without signing in. */
const SignedInStatistics = Statistics.extend({ publicProgrammes: z.array(z.string()).describe('Programmes whose statistics are public (GET /public/statistics/<programme>)') });
export type SignedInStatisticsBody = z.infer<typeof SignedInStatistics>;


/** Statistics safe to publish, for supervisors (their organisation's pathways; the oversight organisation's: all). */
export const statisticsRoutes: FastifyPluginAsyncZod<AppDeps & { published: PublishedCache }> = async (app, deps) => {
  app.get(
    '/v1/statistics',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'Counts and waiting times for a programme and period, with small counts and durations hidden (statistical disclosure control)',
        tags: ['reports'],
        querystring: StatisticsQuery,
        response: withProblems({ 200: SignedInStatistics }, 403),
      },
    },
    async (request) => {
      const [body, publicProgrammes] = await Promise.all([
        statisticsOf(deps, { ...request.query, organisation: scopeOf(request.actor, deps.config) }),
        publicList(deps.pool),
      ]);
      return { ...body, publicProgrammes };
    },
  );

  app.put(
    '/v1/statistics/public/:programme',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'The oversight organisation makes a programme\'s statistics public, or private again (off by default)',
        tags: ['reports'],
        params: z.object({ programme: Programme }),
        body: z.object({ public: z.boolean() }).strict(),
        response: withProblems({ 200: z.object({ programme: z.string(), public: z.boolean() }) }, 403, 404),
      },
    },
    async (request) => {
      if (!isOversight(request.actor, deps.config)) throw new AppError('forbidden', 'Only supervisors of the oversight organisation make statistics public.', { why: { code: 'oversight-only' } });
      const { programme } = request.params;
      if (!deps.templates.has(programme)) throw new AppError('not-found', `There is no programme ${programme}.`, { why: { code: 'unknown-programme' } });
      await setPublic(deps.pool, programme, request.body.public, request.actor.id);
      deps.published.forget(programme);
      return { programme, public: request.body.public };
    },
  );
};

const CACHE_MS = 5 * 60_000;

/** Public answers kept five minutes per process: an anonymous caller should not run the statistics' queries at will. */
export class PublishedCache {
  private readonly kept = new Map<string, { at: number; body: z.infer<typeof Statistics> }>();
  get(programme: string) {
    const hit = this.kept.get(programme);
    return hit && Date.now() - hit.at < CACHE_MS ? hit.body : undefined;
  }
  set(programme: string, body: z.infer<typeof Statistics>) {
    this.kept.set(programme, { at: Date.now(), body });
  }
  forget(programme: string) {
    this.kept.delete(programme);
  }
}

/** No sign-in: what the oversight organisation made public, all organisations' pathways, the same disclosure control. */
export const publicStatisticsRoutes: FastifyPluginAsyncZod<AppDeps & { published: PublishedCache }> = async (app, deps) => {
  app.get(
    '/public/statistics/:programme',
    {
      schema: {
        summary: 'A programme\'s statistics, when the oversight organisation made them public: no sign-in, cached five minutes',
        tags: ['reports'],
        security: [],
        params: z.object({ programme: Programme }),
        response: withProblems({ 200: Statistics }, 404),
      },
    },
    async (request, reply) => {
      const { programme } = request.params;
      // Asked every time, so making statistics private again takes effect at once on this process.
      if (!deps.templates.has(programme) || !(await isPublic(deps.pool, programme))) {
        deps.published.forget(programme);
        throw new AppError('not-found', `The statistics of ${programme} are not public.`, { why: { code: 'statistics-not-public' } });
      }
      let body = deps.published.get(programme);
      if (!body) {
        body = await statisticsOf(deps, { programme });
        deps.published.set(programme, body);
      }
      reply.header('cache-control', 'public, max-age=300');
      return body;
    },
  );
};
