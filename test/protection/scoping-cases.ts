import type { FastifyContextConfig, RouteOptions } from 'fastify';
import type { Actor, Role } from '../../src/domain/model.js';
import { CLINIC, MLSP, PRAVO } from '../agencies/orgs.js';

/**
 * The organisation scoping rules as a table: who stands how to a pathway, and what each kind of
 * route must answer them. test/protection/scoping.test.ts runs every route the app registers
 * against it.
 */

export const ROLES = ['coordinator', 'staff', 'supervisor'] as const satisfies readonly Role[];

/** How a reader stands to the pathway they ask about. */
export type Relation = 'own' | 'none' | 'referral' | 'transfer' | 'oversight' | 'emergency';

/** Two pathways of mlsp: P, whose psychosocial stage is referred to pravo, and P2, offered to akniet by a transfer. */
export type PathwayName = 'P' | 'P2';

export interface Reader {
  relation: Relation;
  actors: Record<(typeof ROLES)[number], Actor>;
  /** The pathway the relation is about. */
  pathway: PathwayName;
}

const team = (org: string, [coordinator, staff, supervisor]: [string, string, string]) => ({
  coordinator: { id: `coordinator-${coordinator}`, role: 'coordinator', org },
  staff: { id: `staff-${staff}`, role: 'staff', org },
  supervisor: { id: `supervisor-${supervisor}`, role: 'supervisor', org },
}) satisfies Reader['actors'];

/** Of another directory organisation than those above: P2 is offered to it. */
export const REGIONAL = team('akniet', ['rita', 'rustam', 'rosa']);
/** Other people of the clinic: its staff and supervisor break the glass on P; its coordinator may not. */
export const CLINIC2 = team('clinic', ['kira', 'kanat', 'kuban']);

export function readers(oversightOrg: string): Reader[] {
  const own = { coordinator: MLSP.coordinator, staff: MLSP.staff, supervisor: MLSP.supervisor };
  return [
    { relation: 'own', actors: own, pathway: 'P' },
    { relation: 'none', actors: CLINIC, pathway: 'P' },
    { relation: 'referral', actors: PRAVO, pathway: 'P' },
    { relation: 'transfer', actors: REGIONAL, pathway: 'P2' },
    { relation: 'oversight', actors: team(oversightOrg, ['olim', 'omar', 'ombudsman']), pathway: 'P' },
    { relation: 'emergency', actors: CLINIC2, pathway: 'P' },
  ];
}

/** Oversight is a supervisor's standing, a transfer offer its answerers' and emergency access a grant's: the others stand nowhere. */
export function standing(reader: Reader, role: Role): Relation {
  if (reader.relation === 'oversight' && role !== 'supervisor') return 'none';
  // A transfer offer is for those who answer it: the receiving organisation's staff see nothing.
  if (reader.relation === 'transfer' && role === 'staff') return 'none';
  if (reader.relation === 'emergency' && role === 'coordinator') return 'none';
  return reader.relation;
}

/** An answer as far as scoping is concerned: its status, and for a problem its code and reason. */
export interface Outcome {
  status: number;
  code?: string;
  reason?: string;
}

export const OK: Outcome = { status: 200 };
export const WRONG_ROLE: Outcome = { status: 403, code: 'forbidden', reason: 'wrong-role' };
/** Refused for who the caller is, not for their role. */
export const FORBIDDEN: Outcome = { status: 403, code: 'forbidden' };
export const NOT_FOUND: Outcome = { status: 404, code: 'not-found' };

export function outcomeOf(response: { statusCode: number; json(): any }): Outcome {
  if (response.statusCode < 400) return { status: response.statusCode };
  const { code, reason } = response.json();
  return { status: response.statusCode, code, ...(reason ? { reason } : {}) };
}

export const told = (outcome: Outcome) => [outcome.status, outcome.code, outcome.reason && `(${outcome.reason})`].filter(Boolean).join(' ');

/** What a route declares it does with the pathway of its `:id` (src/api/auth.ts). */
export type PathwayIntent = NonNullable<FastifyContextConfig['pathwayAccess']>;

/**
 * The answer a route on one pathway owes a caller its role allows. `acting` is the pathway's own
 * answer to the request sent, for those who may act on it.
 */
export function pathwayAnswer(intent: PathwayIntent, relation: Relation, acting: Outcome): Outcome {
  switch (intent) {
    case 'read':
      return relation === 'none' ? NOT_FOUND : OK;
    case 'act':
      if (relation === 'oversight' || relation === 'emergency') return FORBIDDEN;
      return relation === 'none' ? NOT_FOUND : acting;
    case 'audit':
      return relation === 'own' || relation === 'oversight' ? OK : NOT_FOUND;
    case 'emergency':
      // Only someone who cannot see the pathway otherwise gets a grant; a holder gets theirs back.
      if (relation === 'none') return { status: 201 };
      return relation === 'emergency' ? OK : { status: 409, code: 'action-refused', reason: 'not-needed' };
    default:
      throw new Error(`no scoping rule for pathwayAccess ${String(intent)}`);
  }
}

/** One registered route, as `onRoute` saw it. */
export interface Route {
  key: string;
  method: string;
  url: string;
  roles: readonly Role[];
  pathwayAccess?: PathwayIntent;
}

/** Collects the app's routes as they register; Fastify's HEAD twin of each GET runs the GET's hooks and handler, so it is left out. */
export function routeCollector() {
  const routes: Route[] = [];
  const onRoute = (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const config: FastifyContextConfig = route.config ?? {};
      routes.push({ key: `${method} ${route.url}`, method, url: route.url, roles: config.roles ?? ROLES, pathwayAccess: config.pathwayAccess });
    }
  };
  return { routes, onRoute };
}
