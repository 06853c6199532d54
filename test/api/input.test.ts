import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, tokenFor, useApiStack } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

const { coordinator, staff, supervisor } = ACTORS;
const child = () => person(9, ARRIVAL, { arrivedWith: 'mother' });
const opening = (overrides: Record<string, unknown> = {}) => ({ programme: 'UZ', operation: 'Mehr', phase: '4', arrivalDate: ARRIVAL, person: child(), ...overrides });

async function pathwayCount(): Promise<number> {
  const { rows } = await stack.db.pool.query('select count(*)::int as n from pathways');
  return rows[0].n;
}

describe('opening a pathway', () => {
  it('answers malformed JSON, a wrong content type and an oversized body with 4xx problems', async () => {
    const token = await tokenFor(stack, coordinator);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expectProblem(await app.inject({ method: 'POST', url: '/v1/pathways', headers, payload: '{"programme": ' }), 400, 'validation-failed');
    expectProblem(await app.inject({ method: 'POST', url: '/v1/pathways', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' }), 415, 'unsupported-media-type');
    const huge = JSON.stringify(opening({ operation: 'x'.repeat(2 * 1024 * 1024) }));
    expectProblem(await app.inject({ method: 'POST', url: '/v1/pathways', headers, payload: huge }), 413, 'payload-too-large');
  });

  it('lists every field at fault, without echoing personal data', async () => {
    const bad = opening({ programme: 42, arrivalDate: '2021-02-30', extra: true, person: { ...child(), sex: 'x', birthDate: 'yesterday' } });
    const body = expectProblem(await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: bad }), 400, 'validation-failed');
    const paths = body.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.programme', 'body.arrivalDate', 'body.person.sex', 'body.person.birthDate']));
    expect(JSON.stringify(body)).not.toContain(bad.person.givenName);
    expect(await pathwayCount()).toBe(0);
  });

  it('refuses rules between fields: unknown programme, adult on a children-only programme, a child without arrivedWith', async () => {
    const unknown = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening({ programme: 'XX' }) });
    expect(expectProblem(unknown, 400, 'validation-failed').fields).toEqual([{ path: 'body.programme', message: 'must be one of KG, KZ, TJ, UZ' }]);
    const adult = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening({ programme: 'KG', operation: 'Meerim', phase: undefined, person: person(30, ARRIVAL) }) });
    expect(expectProblem(adult, 400, 'validation-failed').fields[0].path).toBe('body.person.birthDate');
    const { arrivedWith: _, ...withoutArrivedWith } = child();
    const lonely = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening({ person: withoutArrivedWith }) });
    expect(expectProblem(lonely, 400, 'validation-failed').fields[0].path).toBe('body.person.arrivedWith');
    const future = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening({ person: { ...child(), birthDate: '2030-01-01' } }) });
    expect(expectProblem(future, 400, 'validation-failed').fields[0]).toEqual({
      path: 'body.person.birthDate',
      message: 'must not be after the arrival date, except for a baby born with its mother within 120 days of it',
    });
    expect(await pathwayCount()).toBe(0);
  });

  it('opens one pathway per Idempotency-Key however often the request is retried', async () => {
    const payload = opening();
    const headers = { 'idempotency-key': 'arrival-2021-03-16-row-17' };
    const first = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload, headers });
    const again = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload, headers });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const other = await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening({ phase: '3' }), headers });
    expectProblem(other, 409, 'idempotency-conflict');
    const { rows } = await stack.db.pool.query('select count(*)::int as n from people where pathway_id = $1', [first.json().id]);
    expect(rows[0].n).toBe(1);
  });
});

describe('opening a cohort', () => {
  it('opens 200 people with their family groups in one request, once', async () => {
    const people = Array.from({ length: 200 }, (_, i) => ({
      familyGroupId: `zhusan-5-family-${Math.floor(i / 4)}`,
      person: i % 4 === 0 ? person(28 + (i % 7), ARRIVAL) : person(1 + (i % 15), ARRIVAL, { arrivedWith: 'mother' }),
    }));
    const payload = { programme: 'KZ', operation: 'Zhusan', phase: '5', arrivalDate: ARRIVAL, people };
    const headers = { 'idempotency-key': 'zhusan-5' };
    const response = await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload, headers });
    expect(response.statusCode).toBe(201);
    const pathways = response.json().pathways;
    expect(pathways).toHaveLength(200);
    expect(pathways[5]).toMatchObject({ index: 5, familyGroupId: 'zhusan-5-family-1', id: expect.any(String) });
    const retry = await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload, headers });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().pathways).toEqual(pathways);
    const { rows } = await stack.db.pool.query("select count(*)::int as n from pathways where operation = 'Zhusan'");
    expect(rows[0].n).toBe(200);
  });

  it('validates the whole cohort before opening anyone, and takes at most 500 people', async () => {
    const before = await pathwayCount();
    const people = [{ person: child() }, { person: { ...child(), birthDate: '2021-13-01' } }, { person: person(40, ARRIVAL, { arrivedWith: 'orphan' }) }];
    const body = expectProblem(
      await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload: { programme: 'KZ', operation: 'Rusafa', arrivalDate: ARRIVAL, people } }),
      400,
      'validation-failed',
    );
    // Every row at fault in one answer: the schema's, and the rules' on the rows the schema accepts.
    expect(body.fields.map((f: { path: string }) => f.path)).toEqual(['body.people.1.person.birthDate', 'body.people.2.person.arrivedWith']);
    const withRules = [{ person: child() }, { person: person(40, ARRIVAL, { arrivedWith: 'orphan' }) }];
    const ruled = await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload: { programme: 'KZ', operation: 'Rusafa', arrivalDate: ARRIVAL, people: withRules } });
    expect(expectProblem(ruled, 400, 'validation-failed').fields).toEqual([{ path: 'body.people.1.person.arrivedWith', message: 'an adult arrives as adult' }]);
    const tooMany = Array.from({ length: 501 }, () => ({ person: child() }));
    expectProblem(await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload: { programme: 'KZ', operation: 'Rusafa', arrivalDate: ARRIVAL, people: tooMany } }), 400, 'validation-failed');
    expect(await pathwayCount()).toBe(before);
  });
});

describe('actions and reads', () => {
  it('answers bad actions with 400, out-of-order ones with 409 and unknown pathways with 404', async () => {
    const id = (await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening() })).json().id;
    const url = `/v1/pathways/${id}/actions`;
    expectProblem(await call(app, stack, staff, { method: 'POST', url, payload: { type: 'medical.teleport' } }), 400, 'validation-failed');
    const wrongType = await call(app, stack, staff, { method: 'POST', url, payload: { type: 'medical.record-screening', payload: { result: 7 } } });
    expect(expectProblem(wrongType, 400, 'validation-failed').fields[0].path).toMatch(/payload/);
    const early = await call(app, stack, staff, { method: 'POST', url, payload: { type: 'education.record-assessment', payload: { level: 'primary', grade: 1, tutoring: false } } });
    expect(expectProblem(early, 409, 'action-refused')).toMatchObject({ reason: 'wrong-stage', detail: 'The education stage cannot start yet: waiting for quarantine to be done.' });
    const noRole = await call(app, stack, staff, { method: 'POST', url, payload: { type: 'pathway.close', payload: { reason: 'withdrawn' } } });
    expect(expectProblem(noRole, 403, 'forbidden').reason).toBe('wrong-role');
    expectProblem(await call(app, stack, staff, { method: 'GET', url: '/v1/pathways/3f8e4c1a-1111-4222-8333-944445555666' }), 404, 'not-found');
    expectProblem(await call(app, stack, staff, { method: 'GET', url: '/v1/pathways/not-a-uuid' }), 404, 'not-found');
    expectProblem(await call(app, stack, supervisor, { method: 'GET', url: '/v1/pathways/not-a-uuid/history' }), 404, 'not-found');
    expectProblem(await call(app, stack, supervisor, { method: 'GET', url: '/v1/pathways/3f8e4c1a-1111-4222-8333-944445555666/access-log' }), 404, 'not-found');
    expectProblem(await call(app, stack, staff, { method: 'POST', url: '/v1/pathways/not-a-uuid/actions', payload: { type: 'quarantine.release' } }), 404, 'not-found');
    expectProblem(await call(app, stack, staff, { method: 'GET', url: '/v1/nothing-here' }), 404, 'not-found');
  });

  it('keeps a note only for an accepted action', async () => {
    const id = (await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening() })).json().id;
    const url = `/v1/pathways/${id}/actions`;
    await call(app, stack, staff, { method: 'POST', url, payload: { type: 'quarantine.release', note: 'asked to leave early', actionId: 'refused-1' } });
    await call(app, stack, staff, { method: 'POST', url, payload: { type: 'medical.record-screening', payload: { result: 'cleared' }, note: 'no infections found', actionId: 'accepted-1' } });
    const { rows } = await stack.db.pool.query('select action_id, text from action_notes where pathway_id = $1', [id]);
    expect(rows).toEqual([{ action_id: 'accepted-1', text: 'no infections found' }]);
    const history = await call(app, stack, supervisor, { method: 'GET', url: `/v1/pathways/${id}/history` });
    expect(history.json().entries.at(-1)).toMatchObject({ type: 'medical.record-screening', note: 'no infections found' });
  });

  it('limits page size and refuses cursors it did not give out', async () => {
    expectProblem(await call(app, stack, supervisor, { method: 'GET', url: '/v1/pathways?limit=1000' }), 400, 'validation-failed');
    expectProblem(await call(app, stack, supervisor, { method: 'GET', url: '/v1/pathways?cursor=bogus' }), 400, 'validation-failed');
    expectProblem(await call(app, stack, supervisor, { method: 'GET', url: '/v1/pathways?overdue=maybe' }), 400, 'validation-failed');
    expectProblem(await call(app, stack, supervisor, { method: 'GET', url: '/v1/pathways?colour=red' }), 400, 'validation-failed');
  });
});
