import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, TEST_JWT_SECRET, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
let pathwayId: string;

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  const opened = await call(app, stack, ACTORS.coordinator, {
    method: 'POST',
    url: '/v1/pathways',
    payload: { programme: 'KZ', operation: 'Rusafa', arrivalDate: ARRIVAL, person: person(30, ARRIVAL) },
  });
  pathwayId = opened.json().id;
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const { coordinator, staff, supervisor } = ACTORS;
const opening = () => ({ programme: 'UZ', operation: 'Mehr', phase: '1', arrivalDate: ARRIVAL, person: person(8, ARRIVAL, { arrivedWith: 'orphan' }) });

/** Every route, and what each role gets from it. */
const ROUTES: { name: string; request: () => { method: 'GET' | 'POST'; url: string; payload?: object }; expect: Record<Actor['role'], number> }[] = [
  { name: 'open a pathway', request: () => ({ method: 'POST', url: '/v1/pathways', payload: opening() }), expect: { coordinator: 201, staff: 403, supervisor: 403 } },
  {
    name: 'open a cohort',
    request: () => ({ method: 'POST', url: '/v1/cohorts', payload: { programme: 'UZ', operation: 'Mehr', phase: '2', arrivalDate: ARRIVAL, people: [{ person: opening().person }] } }),
    expect: { coordinator: 201, staff: 403, supervisor: 403 },
  },
  { name: 'list pathways', request: () => ({ method: 'GET', url: '/v1/pathways' }), expect: { coordinator: 200, staff: 403, supervisor: 200 } },
  { name: 'read a pathway', request: () => ({ method: 'GET', url: `/v1/pathways/${pathwayId}` }), expect: { coordinator: 200, staff: 200, supervisor: 200 } },
  {
    name: 'send a staff action',
    request: () => ({ method: 'POST', url: `/v1/pathways/${pathwayId}/actions`, payload: { type: 'psychosocial.record-assessment', payload: { psychological: 'high', social: 'low' } } }),
    expect: { coordinator: 403, staff: 200, supervisor: 409 },
  },
  { name: 'read the history', request: () => ({ method: 'GET', url: `/v1/pathways/${pathwayId}/history` }), expect: { coordinator: 403, staff: 403, supervisor: 200 } },
  { name: 'read the caseload report', request: () => ({ method: 'GET', url: '/v1/reports/caseload' }), expect: { coordinator: 403, staff: 403, supervisor: 200 } },
  { name: 'read the stage-durations report', request: () => ({ method: 'GET', url: '/v1/reports/stage-durations' }), expect: { coordinator: 403, staff: 403, supervisor: 200 } },
];

async function tokenWith(claims: Record<string, unknown>, options: { secret?: string; expiresIn?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('someone')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

describe.each(ROUTES)('$name', ({ request, expect: expected }) => {
  it.each(['staff', 'coordinator', 'supervisor'] as const)('answers a %s as specified', async (role) => {
    const actor = { coordinator, staff, supervisor }[role];
    const response = await call(app, stack, actor, request());
    expect(response.statusCode, response.body).toBe(expected[role]);
  });

  it('answers 401 without a token, with a forged, an expired or a claimless one', async () => {
    const tokens = [
      undefined,
      'not-a-jwt',
      await tokenWith({ role: 'staff', org: 'mlsp' }, { secret: 'another-secret-another-secret-xx' }),
      await tokenWith({ role: 'staff', org: 'mlsp' }, { expiresIn: '-1m' }),
      await tokenWith({ role: 'janitor', org: 'mlsp' }),
      await tokenWith({ role: 'staff' }),
    ];
    for (const token of tokens) {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      const response = await app.inject({ ...request(), headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.json().code).toBe('unauthorized');
    }
  });
});

describe('public routes', () => {
  it.each(['/healthz', '/openapi.json', '/docs'])('%s needs no token', async (url) => {
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });
});
