import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { InjectOptions } from 'fastify';
import type { Role } from '../../src/domain/model.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted, apiAs, eventually, MLSP, PRAVO } from '../agencies/orgs.js';
import { call, startTestApi } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack } from '../helpers/stack.js';
import {
  CLINIC2,
  FORBIDDEN,
  NOT_FOUND,
  OK,
  outcomeOf,
  pathwayAnswer,
  readers,
  REGIONAL,
  ROLES,
  routeCollector,
  standing,
  told,
  WRONG_ROLE,
  type Outcome,
  type PathwayName,
  type Reader,
  type Relation,
  type Route,
} from './scoping-cases.js';

// One test per route the app registers: the app is built (and its routes collected) before the
// tests are, so a new route gets its test, or fails the coverage test, without anyone writing it.
const { routes, onRoute } = routeCollector();
const stack = await startTestStack();
const app = await startTestApi(stack, stack.config, { onRoute });
afterAll(async () => {
  await app.close();
  await stack.stop();
});

const READERS = readers(stack.config.auth.oversightOrg);
const REFERRAL = { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };
const EMERGENCY = { reason: 'medical-emergency', note: 'Brought to the night shelter unwell; we need her pathway now.' };

interface World {
  ids: Record<PathwayName, string>;
  /** clinic2's staff's and supervisor's emergency access to P. */
  grants: string[];
  /** A payload of P's as the Temporal UI sends it to the codec, and what it holds. */
  sealed: { metadata: Record<string, string>; data: string }[];
  plain: string;
}
let world: World;

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A CSV file's rows under its headings. */
const rowsOf = (csv: string) => csv.trim().split('\n').length - 1;

/** P and P2 among pathway ids, by name; other pathways left out. */
const named = (ids: string[]) => ids.flatMap((id) => (id === world.ids.P ? ['P'] : id === world.ids.P2 ? ['P2'] : [])).sort();

interface Probe {
  /** What to send; the route's own URL without a body by default. */
  request?: (reader: Reader) => Omit<InjectOptions, 'method'>;
  /** The answer owed to a caller whose role the route allows, by how they stand to the pathway; 200 by default. */
  answer?: (relation: Relation, role: Role) => Outcome;
  /** What a 200 answer shows of P and P2: `seen` by those standing so, `unseen` by the others. */
  reveals?: (body: any) => unknown;
  seen?: Partial<Record<Relation, unknown>>;
  unseen?: unknown;
  /** Runs after the others: it changes what they would show. */
  last?: boolean;
}

/** Bodies for routes on one pathway that need one, and the pathway's answer to those who may act on it. */
const PATHWAY_REQUESTS: Record<string, { payload: object; acting?: (relation: Relation, role: Role) => Outcome }> = {
  // Work of the referred stage, refused by the pathway itself: no assessment yet. A transfer's
  // receiver answers the offer only: the pathway refuses it the stage's work, saying no more.
  'POST /v1/pathways/:id/actions': {
    payload: { type: 'psychosocial.complete-support', payload: { outcome: 'completed' } },
    // Coordinators plan; they do not record a stage's steps.
    acting: (relation, role) =>
      role === 'coordinator'
        ? { status: 403, code: 'forbidden', reason: 'wrong-role' }
        : relation === 'transfer'
          ? { status: 403, code: 'forbidden', reason: 'wrong-organisation' }
          : { status: 409, code: 'action-refused', reason: 'missing-prerequisite' },
  },
  'POST /v1/pathways/:id/emergency-access': { payload: EMERGENCY },
  // Printing is a read: whoever may read the pathway may print its summary.
  'POST /v1/pathways/:id/prints': { payload: { kind: 'summary' } },
};

/** Routes not on one pathway: what they may show whom. */
const OTHER_ROUTES: Record<string, Probe> = {
  // Roles only: which organisation a pathway is opened in is checked in organisations.test.ts.
  'POST /v1/pathways': { request: () => ({ url: '/v1/pathways', payload: {} }), answer: () => ({ status: 400, code: 'validation-failed' }) },
  'POST /v1/cohorts': {
    request: () => ({
      url: '/v1/cohorts?dryRun=true',
      payload: { programme: 'KZ', operation: stack.templates.get('KZ')!.operations[0]!.name, arrivalDate: ARRIVAL, people: [{ person: person(40, ARRIVAL) }] },
    }),
  },
  // Reads the file sent, nothing of any organisation's: roles only.
  'POST /v1/cohorts/csv': {
    request: () => ({ url: '/v1/cohorts/csv', payload: Buffer.from('familyName,givenName\n'), headers: { 'content-type': 'text/csv' } }),
  },
  'GET /v1/pathways': {
    reveals: (body) => named(body.items.map((i: { id: string }) => i.id)),
    seen: { own: ['P', 'P2'], oversight: ['P', 'P2'] },
    unseen: [],
  },
  'GET /v1/worklist': {
    reveals: (body) => body.items.flatMap((i: { id: string; via: string }) => named([i.id]).map((name) => `${name} via ${i.via}`)).sort(),
    seen: { own: ['P via organisation', 'P2 via organisation'], referral: ['P via referral'], transfer: ['P2 via transfer'] },
    unseen: [],
  },
  'GET /v1/reports/caseload': {
    reveals: (body) => body.programmes.reduce((sum: number, p: { total: number }) => sum + p.total, 0),
    seen: { own: 2, oversight: 2 },
    unseen: 0,
  },
  'GET /v1/reports/stage-durations': {
    reveals: (body) => body.stages.some((s: { inProgress: number; completed: number }) => s.inProgress + s.completed > 0),
    seen: { own: true, oversight: true },
    unseen: false,
  },
  // Files: the same scope as the lists and reports they take away, read from the file itself.
  'GET /v1/exports/pathways': {
    request: () => ({ url: '/v1/exports/pathways?reason=audit' }),
    reveals: (csv) => named([...new Set<string>(csv.match(UUIDS) ?? [])]),
    seen: { own: ['P', 'P2'], oversight: ['P', 'P2'] },
    unseen: [],
  },
  'GET /v1/exports/worklist': {
    request: () => ({ url: '/v1/exports/worklist?reason=audit' }),
    reveals: (csv) => named([...new Set<string>(csv.match(UUIDS) ?? [])]),
    seen: { own: ['P', 'P2'], referral: ['P'], transfer: ['P2'] },
    unseen: [],
  },
  'GET /v1/exports/caseload': { reveals: (csv) => rowsOf(csv), seen: { own: 1, oversight: 1 }, unseen: 0 },
  'GET /v1/exports/stage-durations': { reveals: (csv) => rowsOf(csv) > 0, seen: { own: true, oversight: true }, unseen: false },
  // One row per programme and indicator: KZ's four, or none for an organisation with no pathway.
  'GET /v1/exports/indicators': { reveals: (csv) => rowsOf(csv), seen: { own: 4, oversight: 4 }, unseen: 0 },
  // Every table has its total row; the people table's rows for KZ are there only for those who count P and P2.
  'GET /v1/exports/statistics': {
    reveals: (csv: string) => csv.split('\n').some((line) => line.startsWith('people;KZ;')),
    seen: { own: true, oversight: true },
    unseen: false,
  },
  // The export log names requests, lists and counts; whose exports it shows is tested in exports.test.ts.
  'GET /v1/exports': {},
  'GET /v1/reports/indicators': {
    reveals: (body) => body.waitingNow.length > 0,
    seen: { own: true, oversight: true },
    unseen: false,
  },
  // Two people are under the threshold: the counts are hidden, the programme's row is not.
  'GET /v1/statistics': { reveals: (body) => body.people.rows, seen: { own: ['KZ'], oversight: ['KZ'] }, unseen: [] },
  'PUT /v1/statistics/public/:programme': {
    request: () => ({ url: '/v1/statistics/public/KZ', payload: { public: false } }),
    answer: (relation) => (relation === 'oversight' ? OK : FORBIDDEN),
  },
  'GET /v1/emergency-access': {
    answer: (relation) => (relation === 'oversight' ? OK : FORBIDDEN),
    reveals: (body) => named(body.items.map((i: { pathwayId: string }) => i.pathwayId)),
    seen: { oversight: ['P', 'P'] },
  },
  'POST /v1/emergency-access/:grantId/review': {
    request: () => ({ url: `/v1/emergency-access/${world.grants[0]}/review`, payload: { outcome: 'justified' } }),
    answer: (relation) => (relation === 'oversight' ? OK : FORBIDDEN),
    reveals: (body) => named([body.pathwayId]),
    seen: { oversight: ['P'] },
    last: true,
  },
  // Possible duplicates across organisations are oversight's alone; no alert exists in this world.
  'GET /v1/duplicate-alerts': {
    answer: (relation) => (relation === 'oversight' ? OK : FORBIDDEN),
    reveals: (body) => body.items.length,
    seen: { oversight: 0 },
  },
  'GET /v1/duplicate-alerts/summary': { answer: (relation) => (relation === 'oversight' ? OK : FORBIDDEN) },
  'POST /v1/duplicate-alerts/:alertId/review': {
    request: () => ({ url: `/v1/duplicate-alerts/${randomUUID()}/review`, payload: { outcome: 'same-person' } }),
    answer: (relation) => (relation === 'oversight' ? NOT_FOUND : FORBIDDEN),
  },
  // Each item is answered as its single action: a pathway the caller may not see is not found, exactly like one that does not exist.
  'POST /v1/bulk-actions': {
    request: (reader) => ({
      url: '/v1/bulk-actions',
      payload: { items: [{ pathwayId: world.ids[reader.pathway], actionId: randomUUID(), ...PATHWAY_REQUESTS['POST /v1/pathways/:id/actions']!.payload }] },
    }),
    reveals: (body) => (body.results[0].problem?.status === 404 ? 'unseen' : 'seen'),
    seen: { own: 'seen', referral: 'seen', transfer: 'seen', oversight: 'seen', emergency: 'seen' },
    unseen: 'unseen',
  },
  // The directory is everyone's; the people its sign-in has seen, each organisation's own.
  'GET /v1/organisations': {},
  // Search finds the caller's organisation's people (oversight: everyone's), nobody else's, however they stand to a pathway.
  'GET /v1/people': {
    request: () => ({ url: `/v1/people?operation=${stack.templates.get('KZ')!.operations[0]!.name}&limit=50` }),
    reveals: (body) => named(body.items.map((i: { pathwayId: string }) => i.pathwayId)),
    seen: { own: ['P', 'P2'], oversight: ['P', 'P2'] },
    unseen: [],
  },
  'GET /v1/organisations/:org/people': {
    request: () => ({ url: `/v1/organisations/${MLSP.coordinator.org}/people` }),
    answer: (relation) => (relation === 'own' ? OK : FORBIDDEN),
    reveals: (body) => body.items.every((p: { id: string }) => [MLSP.coordinator, MLSP.staff, MLSP.supervisor].some((a) => a.id === p.id)),
    seen: { own: true },
  },
  // Decodes only for P's own organisation and oversight: the Temporal UI shows the whole pathway,
  // more than a referral receiver sees, and emergency readers read through the API only.
  'POST /codec/decode': {
    request: () => ({ url: '/codec/decode', payload: { payloads: world.sealed } }),
    reveals: (body) => Buffer.from(body.payloads[0].data, 'base64').toString() === world.plain,
    seen: { own: true, oversight: true },
    unseen: false,
  },
};

/** API routes left out, each with why. */
const EXCLUDED: Record<string, string> = {
  'OPTIONS /codec/*': "The Temporal UI's CORS preflight: answered without a token, shows nothing (access-and-codec.test.ts)",
  // The caller's own inbox: who is told of what is tested person by person in test/notify (recipients, inbox).
  'GET /v1/notifications': 'Only what the caller is told of, naming a pathway by its id alone (test/notify/recipients.test.ts)',
  'GET /v1/notifications/unread': 'A count of the above (test/notify/inbox.test.ts)',
  'POST /v1/notifications/read': "Marks only the caller's own; other ids are ignored (test/notify/inbox.test.ts)",
  'GET /v1/me/notification-preferences': "The caller's own e-mail choice; nothing of a pathway (test/notify/preferences.test.ts)",
  'PUT /v1/me/notification-preferences': "The caller's own e-mail choice; nothing of a pathway (test/notify/preferences.test.ts)",
  'GET /v1/dev/mail': 'Development only, 404 elsewhere; mail holds no personal value (test/notify/preferences.test.ts, email.test.ts)',
  // An organisation's own hooks, its supervisors only; another organisation's is not found (test/notify/webhooks-api.test.ts).
  'GET /v1/webhooks': "The caller's organisation's hooks (webhooks-api.test.ts)",
  'POST /v1/webhooks': "Adds to the caller's organisation (webhooks-api.test.ts)",
  'PATCH /v1/webhooks/:id': "Another organisation's hook: 404 (webhooks-api.test.ts)",
  'DELETE /v1/webhooks/:id': "Another organisation's hook: 404 (webhooks-api.test.ts)",
  'POST /v1/webhooks/:id/rotate-secret': "Another organisation's hook: 404 (webhooks-api.test.ts)",
  'GET /v1/webhooks/:id/deliveries': "Another organisation's hook: 404 (webhooks-api.test.ts)",
};

const isApi = (route: Route) => route.url.startsWith('/v1/') || route.url.startsWith('/codec/');
const covered = () => routes.filter((route) => isApi(route) && !(route.key in EXCLUDED));

function probeOf(route: Route): Probe {
  const intent = route.pathwayAccess;
  if (!intent) {
    const probe = OTHER_ROUTES[route.key];
    if (!probe) throw new Error(`${route.key}: declare config.pathwayAccess, or say in OTHER_ROUTES what it may show whom`);
    return probe;
  }
  const body = PATHWAY_REQUESTS[route.key];
  if (route.method !== 'GET' && !body) throw new Error(`${route.key}: say in PATHWAY_REQUESTS what to send it`);
  return {
    request: (reader) => ({ url: route.url.replace(':id', world.ids[reader.pathway]), payload: body?.payload }),
    answer: (relation, role) => pathwayAnswer(intent, relation, body?.acting?.(relation, role) ?? OK),
    last: intent === 'emergency',
  };
}

/** Every role of every reader against one route: a line for each answer that is not as owed. */
async function mismatches(route: Route): Promise<string[]> {
  const probe = probeOf(route);
  const cases = READERS.flatMap((reader) => ROLES.map((role) => ({ reader, role, relation: standing(reader, role) })));
  const lines = await Promise.all(
    cases.map(async ({ reader, role, relation }) => {
      const actor = reader.actors[role];
      const who = `${reader.relation} ${role} (${actor.org} on ${reader.pathway})`;
      const owed = route.roles.includes(role) ? (probe.answer ?? (() => OK))(relation, role) : WRONG_ROLE;
      const response = await call(app, stack, actor, { method: route.method as InjectOptions['method'], url: route.url, ...probe.request?.(reader) });
      const got = outcomeOf(response);
      if (told(got) !== told(owed)) return [`${who}: ${told(got)}, owed ${told(owed)}`];
      if (owed.status !== 200 || !probe.reveals) return [];
      const shown = probe.reveals(String(response.headers['content-type']).includes('json') ? response.json() : response.body);
      const expected = relation in (probe.seen ?? {}) ? probe.seen![relation] : probe.unseen;
      return isDeepStrictEqual(shown, expected) ? [] : [`${who}: shows ${JSON.stringify(shown)}, owed ${JSON.stringify(expected)}`];
    }),
  );
  return lines.flat();
}

beforeAll(async () => {
  const api = apiAs(app, stack);
  const P = await openOne(stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
  const P2 = await openOne(stack, 'KZ', person(34, ARRIVAL, { sex: 'female' }));
  const referral = (await accepted(await api.act(MLSP.staff, P, 'referral.create', REFERRAL))).state.referrals.at(-1).id;
  await accepted(await api.act(PRAVO.coordinator, P, 'referral.accept', { referral }));
  await accepted(await api.act(MLSP.supervisor, P2, 'transfer.request', { to: 'akniet' }));
  const grants: string[] = [];
  for (const actor of [CLINIC2.staff, CLINIC2.supervisor]) {
    const granted = await api.post(actor, `/v1/pathways/${P}/emergency-access`, EMERGENCY);
    expect(granted.statusCode, granted.body).toBe(201);
    grants.push(granted.json().id);
  }
  const plain = `{"pathwayId":"${P}","ageBand":"30-39"}`;
  const [encrypted] = await stack.codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(plain) }]);
  const base64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('base64');
  const metadata = Object.fromEntries(Object.entries(encrypted!.metadata!).map(([key, value]) => [key, base64(value)]));
  world = { ids: { P, P2 }, grants, sealed: [{ metadata, data: base64(encrypted!.data) }], plain };

  // Worklists and reports are written as the pathways change: wait until they show the setup.
  const lists = (ids: string[]) => (page: { items: { id: string }[] }) => ids.every((id) => page.items.some((i) => i.id === id));
  await eventually(() => api.worklist(MLSP.coordinator), lists([P, P2]));
  await eventually(() => api.worklist(PRAVO.coordinator), lists([P]));
  await eventually(() => api.worklist(REGIONAL.coordinator), lists([P2]));
  await eventually(() => api.get(MLSP.supervisor, '/v1/reports/caseload'), (body: { programmes: { total: number }[] }) => body.programmes.reduce((n, p) => n + p.total, 0) === 2);
});

describe('organisation scoping of every route, for every role of every organisation', () => {
  it('covers every API route the app registers, but for the exclusions named', () => {
    const api = routes.filter(isApi).map((route) => route.key);
    expect(Object.keys(EXCLUDED).filter((key) => !api.includes(key))).toEqual([]);
    expect(covered().map((route) => route.key).sort()).toEqual(api.filter((key) => !(key in EXCLUDED)).sort());
    // A route on one pathway says what it does with it.
    expect(routes.filter((route) => route.url.startsWith('/v1/pathways/:id') && !route.pathwayAccess).map((route) => route.key)).toEqual([]);
  });

  const ordered = covered().sort((a, b) => rank(a) - rank(b));
  function rank(route: Route) {
    if (route.pathwayAccess === 'emergency') return 2;
    return route.pathwayAccess ? 0 : OTHER_ROUTES[route.key]?.last ? 1 : 0;
  }
  const before = ordered.filter((route) => rank(route) === 0);
  const after = ordered.filter((route) => rank(route) > 0);

  for (const route of before) {
    it(route.key, async () => {
      expect(await mismatches(route)).toEqual([]);
    });
  }

  it('flags in the access log how each reader came to see the pathway', async () => {
    const readersOf = async (id: string) => {
      const { entries } = await accepted(await call(app, stack, MLSP.supervisor, { method: 'GET', url: `/v1/pathways/${id}/access-log` }));
      return [...new Set(entries.map((e: { actorOrg: string; actorRole: string; via: string }) => `${e.actorOrg} ${e.actorRole} via ${e.via}`))].sort();
    };
    const each = (org: string, roles: readonly string[], via: string) => roles.map((role) => `${org} ${role} via ${via}`);
    expect(await readersOf(world.ids.P)).toEqual(
      [
        ...each('mlsp', ROLES, 'organisation'),
        ...each('pravo', ROLES, 'referral'),
        ...each(stack.config.auth.oversightOrg, ['supervisor'], 'oversight'),
        ...each('clinic', ['staff', 'supervisor'], 'emergency'),
      ].sort(),
    );
    // Oversight saw it in the pathways list, which names its person: that is in the log too.
    expect(await readersOf(world.ids.P2)).toEqual(
      [...each('mlsp', ROLES, 'organisation'), ...each('akniet', ['coordinator', 'supervisor'], 'transfer'), ...each(stack.config.auth.oversightOrg, ['supervisor'], 'oversight')].sort(),
    );
  });

  for (const route of after) {
    it(`${route.key} (after the others: it changes what they show)`, async () => {
      expect(await mismatches(route)).toEqual([]);
    });
  }
});
