import type { Config } from '../../config/index.js';
import { pathwayAccess, type PathwayAccessRow } from '../db/pathway-access.js';
import type { Queryable } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import { AppError } from '../errors.js';

/** Supervisors of the oversight organisation see every pathway (and act on none but their own). */
export function isOversight(actor: Actor, config: Config): boolean {
  return actor.role === 'supervisor' && actor.org === config.auth.oversightOrg;
}

/**
 * The pathway if this person may see it (`read`) or act on it (`act`). A pathway of another
 * organisation answers 404, exactly like one that does not exist.
 */
export async function accessiblePathway(
  db: Queryable,
  config: Config,
  actor: Actor,
  pathwayId: string,
  intent: 'read' | 'act',
): Promise<PathwayAccessRow> {
  return allowedAccess(await pathwayAccess(db, pathwayId), config, actor, intent);
}

/** The access rule itself, for a row already read: 404 for another organisation's pathway, as for none. */
export function allowedAccess(row: PathwayAccessRow | undefined, config: Config, actor: Actor, intent: 'read' | 'act'): PathwayAccessRow {
  const member = row?.organisations.includes(actor.org) ?? false;
  if (!row || (!member && !isOversight(actor, config))) throw new AppError('not-found', 'There is no pathway with this id.');
  if (!member && intent === 'act') throw new AppError('forbidden', 'Oversight supervisors read pathways of other organisations; they do not act on them.');
  return row;
}
