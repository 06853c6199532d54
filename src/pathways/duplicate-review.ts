import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { recordListAccess } from '../db/access-log.js';
import { duplicateAlerts, reviewDuplicateAlert, unreviewedAlerts, type AlertOutcome, type AlertStatus } from '../db/duplicate-alerts.js';
import { confirmationsOf, possibleMatches, type Candidate } from '../db/duplicates.js';
import type { Pool } from '../db/pool.js';
import { birthRange, type BirthDatePrecision } from '../domain/birth-date.js';
import type { Actor } from '../domain/model.js';
import { AppError } from '../errors.js';
import { accessiblePathway, isOversight } from './access.js';
import { decodeCursor, encodeCursor, PgTimestamp } from './cursor.js';

interface Deps {
  pool: Pool;
  config: Config;
}

const today = () => new Date().toISOString().slice(0, 10);
const Position = z.tuple([PgTimestamp, z.uuid()]);

function mustOversee(actor: Actor, config: Config) {
  if (!isOversight(actor, config)) throw new AppError('forbidden', 'Only supervisors of the oversight organisation see possible duplicates across organisations.', { why: { code: 'oversight-only' } });
}

/** Oversight's queue of people who may have pathways in two organisations, oldest first. */
export async function alertQueue(deps: Deps, actor: Actor, query: { status: AlertStatus; limit: number; cursor?: string }, requestId: string) {
  mustOversee(actor, deps.config);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, Position);
  const { items, last } = await duplicateAlerts(deps.pool, { status: query.status, limit: query.limit, after: after && { raisedAt: after[0], id: after[1] }, today: today() });
  const ids = [...new Set(items.flatMap((item) => [item.opened.pathwayId, item.other.pathwayId]))];
  await recordListAccess(deps.pool, { pathways: ids.map((id) => ({ id, via: 'oversight' as const })), actor, what: 'duplicates', requestId });
  return { items, nextCursor: last ? encodeCursor([last.raisedAt, last.id]) : null };
}

/** How many alerts wait for oversight's verdict. */
export async function alertSummary(deps: Deps, actor: Actor) {
  mustOversee(actor, deps.config);
  return { unreviewed: await unreviewedAlerts(deps.pool) };
}

/** Oversight's verdict on one alert, once. */
export async function reviewAlert(deps: Deps, actor: Actor, alertId: string, review: { outcome: AlertOutcome; note?: string }) {
  mustOversee(actor, deps.config);
  const result = await reviewDuplicateAlert(deps.pool, { alertId, by: actor.id, ...review });
  if (result === 'unknown') throw new AppError('not-found', 'There is no possible duplicate with this id.');
  if (result === 'already-reviewed') throw new AppError('action-refused', 'This possible duplicate was already reviewed.', { reason: 'already-reviewed', why: { code: 'already-reviewed' } });
  return result;
}

/** The birth dates a stored person may have, as a candidate's. */
function storedCandidate(row: { sex: string; given: string; family: string; patronymic: string | null; birth_date: string; precision: BirthDatePrecision; estimated: boolean }): Candidate {
  const [earliest, latest] = birthRange(row.birth_date, row.precision, row.estimated);
  return { sex: row.sex, given: row.given, family: row.family, patronymic: row.patronymic, earliest, latest };
}

/**
 * Other pathways of the caller's organisation that may be this pathway's person: what a pathway
 * closed as a duplicate links to. Each says whether someone confirmed they are different people.
 */
export async function possibleDuplicatesOf(deps: Deps, actor: Actor, pathwayId: string, requestId: string) {
  // Like its history: the organisations holding it (their own pathways) and oversight (everyone's).
  const { via } = await accessiblePathway(deps.pool, deps.config, actor, pathwayId, 'audit');
  const { rows } = await deps.pool.query(
    `select p.sex, pp.given_folded as given, pp.family_folded as family, pp.patronymic_folded as patronymic,
            to_char(pp.birth_date, 'YYYY-MM-DD') as birth_date, pp.birth_date_precision as precision, pp.birth_date_estimated as estimated
       from pathways p join people pp on pp.pathway_id = p.id where p.id = $1`,
    [pathwayId],
  );
  if (!rows[0]) throw new AppError('not-found', 'There is no pathway with this id.');
  const matches = (await possibleMatches(deps.pool, [storedCandidate(rows[0])], today())).filter(
    (match) => match.pathwayId !== pathwayId && (via === 'oversight' || match.organisations.includes(actor.org)),
  );
  const confirmed = await confirmationsOf(deps.pool, pathwayId);
  await recordListAccess(deps.pool, { pathways: matches.map((m) => ({ id: m.pathwayId, via })), actor, what: 'duplicates', requestId });
  return {
    items: matches.map(({ candidate: _, organisations: __, ...match }) => ({ ...match, confirmedDifferent: confirmed.get(match.pathwayId) ?? null })),
  };
}
