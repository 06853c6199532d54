import type { Config } from '../../config/index.js';
import { pathwaysOfOrganisation } from '../db/pathway-access.js';
import { wasSeen } from '../db/people-seen.js';
import type { Pool } from '../db/pool.js';
import type { Actor, Programme } from '../domain/model.js';
import type { Template } from '../domain/template.js';
import { AppError, validationError, type FieldProblem } from '../errors.js';
import { catalogueProblem } from './open.js';

type Deps = { pool: Pool; config: Config; templates: ReadonlyMap<Programme, Template> };
type Payload = Record<string, unknown>;

const text = (value: unknown): value is string => typeof value === 'string';

/** An organisation named in a payload is one of the directory's, and works in the programme concerned. */
function organisationProblem(config: Config, path: string, id: unknown, programme: string): FieldProblem | undefined {
  if (!text(id)) return undefined;
  const entry = config.organisations.find((o) => o.id === id);
  if (!entry) return { path, message: `must be an organisation of the directory (${config.organisations.map((o) => o.id).join(', ')})`, code: 'not-in-directory' };
  return entry.programmes.includes(programme) ? undefined : { path, message: `${id} does not work in programme ${programme}`, code: 'organisation-not-in-programme', params: { organisation: id, programme } };
}

/**
 * What only the service knows, checked before an action reaches its pathway: the organisations it
 * names are the directory's, a transfer's programme, operation and phase are the catalogue's, and
 * work is assigned within the sender's organisation to someone its sign-in has seen, a duplicate
 * names a pathway of the sender's organisation. The pathway checks the rest.
 */
export async function actionPreconditions(deps: Deps, actor: Actor, pathway: { programme: string; operation: string }, type: string, payload: unknown): Promise<void> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return;
  const p = payload as Payload;
  const problems: FieldProblem[] = [];
  const add = (problem: FieldProblem | undefined) => problem && problems.push(problem);
  if (type === 'referral.create') add(organisationProblem(deps.config, 'payload.to', p.to, pathway.programme));
  if (type === 'pathway.reassign' && Array.isArray(p.organisations)) {
    p.organisations.forEach((org, i) => add(organisationProblem(deps.config, `payload.organisations.${i}`, org, pathway.programme)));
  }
  if (type === 'transfer.request') {
    const programme = text(p.programme) ? p.programme : pathway.programme;
    // The operation the person joins: the pathway's own when it stays in its programme.
    const operation = text(p.operation) ? p.operation : programme === pathway.programme ? pathway.operation : undefined;
    add(catalogueProblem(deps.templates, { programme, operation, ...(text(p.phase) ? { phase: p.phase } : {}) }, 'payload.'));
    // Whether the receiver works in a programme that does not exist says nothing more.
    if (deps.templates.has(programme)) add(organisationProblem(deps.config, 'payload.to', p.to, programme));
  }
  if (type === 'pathway.assign' && text(p.org)) {
    // Before anything is looked up: who has signed in elsewhere is another organisation's business.
    if (p.org !== actor.org) throw new AppError('forbidden', 'Work is assigned to people of your own organisation only.', { reason: 'wrong-organisation', why: { code: 'assign-own-organisation' } });
    if (text(p.assignee) && !(await wasSeen(deps.pool, p.org, p.assignee))) {
      problems.push({ path: 'payload.assignee', message: `must be someone of ${p.org} who has signed in to Pathways`, code: 'assignee-not-seen', params: { organisation: p.org } });
    }
  }
  if (type === 'pathway.close' && text(p.duplicateOf) && !(await pathwaysOfOrganisation(deps.pool, [p.duplicateOf], actor.org)).has(p.duplicateOf.toLowerCase())) {
    problems.push({ path: 'payload.duplicateOf', message: "must be a pathway of your organisation: the same person's, which stays", code: 'not-own-pathway' });
  }
  if (problems.length) throw validationError(problems);
}
