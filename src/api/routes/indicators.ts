import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDate } from '../../domain/open.js';
import { placementOptions, stepsRecorded, waitingNow, type IndicatorFilter } from '../../db/indicators.js';
import { AgeBand, Programme, Sex } from '../../domain/model.js';
import { PhaseName } from '../../domain/template.js';
import { scopeOf } from '../../pathways/access.js';
import { indicatorsOf } from '../../reports/compute.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

// A real calendar date: 2021-02-30 is refused here, not by the database.
const Day = IsoDate;

/** The indicators' filters, as the route and its file (GET /v1/exports/indicators) take them. */
export const IndicatorFilters = z.object({
  from: Day.optional().describe('Arrivals on or after this date'),
  to: Day.optional().describe('Arrivals on or before this date'),
  programme: Programme.optional(),
  operation: z.string().min(1).max(100).optional(),
  cohort: PhaseName.optional().describe('The operation\'s phase'),
  sex: Sex.optional(),
  ageBand: AgeBand.optional().describe('Age band on arrival'),
});

/** A period whose end is not before its start. */
export const datesInOrder = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
export const DATES_OUT_OF_ORDER = { message: 'from must not be after to', path: ['to'] };

export const IndicatorQuery = IndicatorFilters.strict().refine(datesInOrder, DATES_OUT_OF_ORDER);

const Estimate = z
  .object({
    people: z.number().describe('People for whom the clock runs'),
    reached: z.number(),
    stillWaiting: z.number().describe('Counted for as long as they waited (censored now, or at closure)'),
    medianDays: z.number().nullable().describe('Kaplan–Meier median, days from arrival; null: not reached'),
    p90Days: z.number().nullable().describe('Kaplan–Meier 90th percentile; null: not reached'),
    targetDays: z.number().nullable(),
    withinTarget: z.number().nullable().describe('Share who reached the event within the target, 0 to 1'),
    curve: z.array(z.object({ day: z.number(), stillWaiting: z.number(), atRisk: z.number(), lower: z.number().nullable(), upper: z.number().nullable() })),
  })
  .nullable();

const Indicators = z.object({
  method: z.string(),
  programmes: z.array(
    z.object({
      programme: z.string(),
      placement: Estimate.describe('Arrival to the placement approved'),
      document: Estimate.describe('Arrival to a birth certificate or identity document (or the documentation stage done)'),
      school: Estimate.describe('Arrival to school or kindergarten enrolment (the education stage done)'),
      followUpEnded: Estimate.describe('Arrival to the end of follow-up'),
    }),
  ),
  waitingNow: z.array(z.object({ programme: z.string(), stage: z.string(), waiting: z.number(), overdue: z.number() })),
  placementOptions: z.array(z.object({ programme: z.string(), option: z.string(), chosen: z.number(), placed: z.number() })),
  consentDeclined: z.array(z.object({ programme: z.string(), step: z.string(), people: z.number() })),
  courtRoutes: z.array(z.object({ programme: z.string(), step: z.string(), people: z.number() })),
});

export type IndicatorsBody = z.infer<typeof Indicators>;

export const INDICATOR_METHOD =
  'Kaplan–Meier: days from the arrival date; people still waiting are counted until now, or until closure if closed without the event. ' +
  'Median and 90th percentile are the first day the share still waiting is at most 50% (10%); null when not reached. ' +
  'The share within the target counts from the day the stage became ready, as the target does.';

/** Aggregates only, for the organisation's own supervisors (the oversight organisation's: all). */
export const indicatorRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/reports/indicators',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'Outcome indicators per programme: time to placement, a document, school, the end of follow-up (Kaplan–Meier), where people wait, options, declined consent, court routes',
        tags: ['reports'],
        querystring: IndicatorQuery,
        response: withProblems({ 200: Indicators }, 403),
      },
    },
    async (request) => {
      const filter: IndicatorFilter = { ...request.query, organisation: scopeOf(request.actor, deps.config) };
      const [programmes, waiting, options, declined, court] = await Promise.all([
        indicatorsOf(deps.pool, deps.templates, filter),
        waitingNow(deps.pool, filter),
        placementOptions(deps.pool, filter),
        stepsRecorded(deps.pool, filter, 'declined'),
        stepsRecorded(deps.pool, filter, 'court'),
      ]);
      return {
        method: INDICATOR_METHOD,
        programmes,
        waitingNow: waiting,
        placementOptions: options,
        consentDeclined: declined,
        courtRoutes: court,
      };
    },
  );
};
