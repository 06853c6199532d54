import type { Config } from '../../config/index.js';
import { pathwayAccess, type AccessVia, type PathwayAccessRow } from '../db/pathway-access.js';
import type { Queryable } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import { AppError } from '../errors.js';

/** Supervisors of the oversight organisation see every pathway (and act on none but their own). */
export function isOversight(actor: Actor, config: Config): boolean {
  return actor.role === 'supervisor' && actor.org === config.auth.oversightOrg;
}

/** Whose pathways a list or a count covers: the caller's organisation's, or every one (undefined) for oversight. */
export function scopeOf(actor: Actor, config: Config): string | undefined {
  return isOversight(actor, config) ? undefined : actor.org;
}

/**
 * What a person wants of a pathway: see its state (`read`), send it an action (`act`), or read its
 * audit trail and access log (`audit`: its own organisations and oversight only).
 */
export type Intent = 'read' | 'act' | 'audit';

export interface Access {
  row: PathwayAccessRow;
  via: AccessVia;
}

/** How this person sees the pathway, or undefined when they may not see it at all. */
export function accessVia(row: PathwayAccessRow, config: Config, actor: Actor): AccessVia | undefined {
  if (row.organisations.includes(actor.org)) return 'organisation';
  if (row.referredStages.length > 0) return 'referral';
  // An offer is answered by coordinators and supervisors: the organisation's staff see nothing of it.
  if (row.transferOffered && actor.role !== 'staff') return 'transfer';
  if (isOversight(actor, config)) return 'oversight';
  if (row.emergencyAccessId) return 'emergency';
  return undefined;
}

const NOT_FOUND = () => new AppError('not-found', 'There is no pathway with this id.');

/**
 * The access rule itself, for a row already read. A pathway this person may not see answers 404,
 * exactly like one that does not exist. Another organisation's people see what was referred or
 * offered to them and act on it (the pathway decides which actions); oversight and emergency
 * readers only read.
 */
export function allowedAccess(row: PathwayAccessRow | undefined, config: Config, actor: Actor, intent: Intent): Access {
  const via = row && accessVia(row, config, actor);
  if (!row || !via) throw NOT_FOUND();
  if (intent === 'act' && (via === 'oversight' || via === 'emergency')) {
    throw new AppError('forbidden', `${via === 'oversight' ? 'Oversight supervisors' : 'Emergency access'} reads pathways of other organisations; it does not act on them.`, { why: { code: 'read-only-access' } });
  }
  if (intent === 'audit' && via !== 'organisation' && via !== 'oversight') throw NOT_FOUND();
  return { row, via };
}

/** The pathway if this person may do `intent` on it; 404 for one they may not see, as for none. */
export async function accessiblePathway(db: Queryable, config: Config, actor: Actor, pathwayId: string, intent: Intent): Promise<Access> {
  return allowedAccess(await pathwayAccess(db, pathwayId, actor), config, actor, intent);
}
