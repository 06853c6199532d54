import { indicatorObservations, placementOptions, type IndicatorFilter } from '../db/indicators.js';
import type { Queryable } from '../db/pool.js';
import { peopleByProgramme } from '../db/statistics.js';
import type { Template } from '../domain/template.js';
import { programmeIndicators, type ProgrammeIndicators } from './indicators.js';
import { buildStatistics } from './published.js';

/**
 * The indicators and the statistics as read and computed, once: the JSON routes and the files
 * (exports) call the same functions, so a file never says other than the page.
 */

type Templates = ReadonlyMap<string, Template>;

/** The outcome indicators per programme (Kaplan–Meier per clock), for the filter's pathways. */
export async function indicatorsOf(db: Queryable, templates: Templates, filter: IndicatorFilter, now = new Date()): Promise<ProgrammeIndicators[]> {
  return programmeIndicators(await indicatorObservations(db, filter, now), templates);
}

export interface StatisticsFilter {
  /** The caller's organisation; undefined for the oversight organisation and the public (all). */
  organisation?: string;
  programme?: string;
  from?: string;
  to?: string;
}

/** The statistics safe to publish: counts and waiting times through disclosure control. */
export async function statisticsOf(deps: { pool: Queryable; templates: Templates; config: { statistics: { threshold: number } } }, filter: StatisticsFilter) {
  const db = deps.pool;
  const [people, placements, observations] = await Promise.all([
    peopleByProgramme(db, filter),
    placementOptions(db, filter),
    indicatorObservations(db, filter, new Date()),
  ]);
  return buildStatistics({ people, placements, observations, templates: deps.templates, threshold: deps.config.statistics.threshold });
}
