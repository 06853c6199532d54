import type { Config } from '../../config/index.js';
import type { Actor, Role } from '../domain/model.js';

/** Organisations the development identities belong to: a ministry, two NGOs (to refer work between), and the oversight one. */
const DEV_ORGS = ['mlsp', 'akniet', 'pravo'];

/**
 * Who may sign in to the console in development: per organisation a coordinator, a staff member
 * and two supervisors (a decision needs a second one), and the oversight organisation's
 * supervisor. None in production, where people sign in with their identity provider.
 */
export function devIdentities(config: Config): Actor[] | undefined {
  if (config.mode === 'production') return undefined;
  const roles: [string, Role][] = [['coordinator', 'coordinator'], ['staff', 'staff'], ['supervisor', 'supervisor'], ['supervisor-2', 'supervisor']];
  return [
    ...DEV_ORGS.flatMap((org) => roles.map(([name, role]) => ({ id: `${name}.${org}`, role, org }))),
    { id: `supervisor.${config.auth.oversightOrg}`, role: 'supervisor' as const, org: config.auth.oversightOrg },
  ];
}
