import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

const arrival = { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL };
const child = (age: number, overrides = {}) => ({ familyGroupId: 'family-3', person: person(age, ARRIVAL, { arrivedWith: 'siblings', ...overrides }) });

/** What opening would leave behind: pathway rows and personal records. */
async function opened(): Promise<{ pathways: number; people: number }> {
  const { rows } = await stack.db.pool.query('select (select count(*)::int from pathways) as pathways, (select count(*)::int from people) as people');
  return rows[0];
}

const post = (query: string, payload: object, headers: Record<string, string> = {}) =>
  call(app, stack, ACTORS.coordinator, { method: 'POST', url: `/v1/cohorts${query}`, payload, headers });

const paths = (problem: { fields: { path: string }[] }) => problem.fields.map((f) => f.path).sort();

describe('a cohort preview (POST /v1/cohorts?dryRun=true)', () => {
  it("reports every row at fault, the schema's and the programme's, and opens nothing", async () => {
    const before = await opened();
    const people = [
      child(7),
      child(9, { birthDate: '2015-13-45' }),
      child(11),
      // Kyrgyzstan takes ages 2 to 18: valid records the programme refuses.
      { person: person(40, ARRIVAL, { arrivedWith: 'adult' }) },
      child(1),
    ];
    const preview = expectProblem(await post('?dryRun=true', { ...arrival, people }), 400, 'validation-failed');
    expect(paths(preview)).toEqual(['body.people.1.person.birthDate', 'body.people.3.person.birthDate', 'body.people.4.person.birthDate']);
    expect(preview.fields.find((f: { path: string }) => f.path === 'body.people.3.person.birthDate').message).toMatch(/aged 2 to 18/);
    // The request itself answers the same: the preview runs what opening runs.
    const real = expectProblem(await post('', { ...arrival, people }), 400, 'validation-failed');
    expect(real.fields).toEqual(preview.fields);
    expect(await opened()).toEqual(before);
  });

  it('answers valid for a cohort opening would take, opens nothing, and leaves its Idempotency-Key unused', async () => {
    const before = await opened();
    const cohort = { ...arrival, people: [child(6), child(8), child(12)] };
    const preview = await post('?dryRun=true', cohort, { 'idempotency-key': 'meerim-arrival-2' });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toEqual({ valid: true, people: 3 });
    expect(await opened()).toEqual(before);

    const real = await post('', cohort, { 'idempotency-key': 'meerim-arrival-2' });
    expect(real.statusCode, real.body).toBe(201);
    expect(real.json().pathways).toHaveLength(3);
    expect(await opened()).toEqual({ pathways: before.pathways + 3, people: before.people + 3 });
  });

  it('refuses a misspelt or unknown dry-run parameter instead of opening the cohort', async () => {
    const before = await opened();
    const cohort = { ...arrival, people: [child(10)] };
    expect(paths(expectProblem(await post('?dryRun=yes', cohort), 400, 'validation-failed'))).toEqual(['querystring.dryRun']);
    expectProblem(await post('?dryrun=true', cohort), 400, 'validation-failed');
    expectProblem(await call(app, stack, ACTORS.staff, { method: 'POST', url: '/v1/cohorts?dryRun=true', payload: cohort }), 403, 'forbidden');
    expect(await opened()).toEqual(before);
  });
});
