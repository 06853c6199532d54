import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';
import { PRAVO } from '../agencies/orgs.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

const OMBUDSMAN: Actor = { id: 'ombudsman', role: 'supervisor', org: 'oversight' };
const { coordinator } = ACTORS;

/** A woman of 30 on arrival, as one agency spells her; the same birth date unless told otherwise. */
const woman = (givenName: string, familyName: string, overrides = {}) =>
  person(30, ARRIVAL, { givenName, familyName, patronymic: undefined, sex: 'female', birthDate: '1990-03-14', arrivedWith: 'adult', ...overrides });

const openOne = (actor: Actor, who: object, extra: object = {}, headers: Record<string, string> = {}) =>
  call(app, stack, actor, {
    method: 'POST',
    url: '/v1/pathways',
    payload: { programme: 'KZ', operation: 'Zhusan', phase: '5', arrivalDate: ARRIVAL, person: who, ...extra },
    headers: { prefer: 'return=minimal', ...headers },
  });

const cohort = (query: string, people: object[]) =>
  call(app, stack, coordinator, { method: 'POST', url: `/v1/cohorts${query}`, payload: { programme: 'KZ', operation: 'Rusafa', arrivalDate: ARRIVAL, people } });

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await stack.db.pool.query(`select count(*)::int as n from ${sql}`, values);
  return rows[0].n;
}

describe('opening a person who may already have a pathway', () => {
  it('refuses the same person spelt in another script (409 naming the pathway) until the coordinator confirms a different person, and keeps who did', async () => {
    const first = await openOne(coordinator, woman('Айша', 'Абдуллаева'));
    expect(first.statusCode, first.body).toBe(201);
    const firstId = first.json().id;
    const before = await count('pathways');

    const again = expectProblem(await openOne(coordinator, woman('Aysha', 'Abdullayeva')), 409, 'possible-duplicate');
    expect(again.duplicates).toEqual([
      expect.objectContaining({ pathwayId: firstId, programme: 'KZ', status: 'active', person: expect.objectContaining({ name: 'Абдуллаева Айша', birthDate: '1990-03-14' }) }),
    ]);
    expect(again.duplicates[0]).not.toHaveProperty('row');
    expect(await count('pathways')).toBe(before);
    // The coordinator saw that pathway's person: logged.
    expect(await count(`access_log where pathway_id = $1 and what = 'duplicates' and actor_id = $2`, [firstId, coordinator.id])).toBe(1);

    const confirmed = await openOne(coordinator, woman('Aysha', 'Abdullayeva'), { differentFrom: [firstId] });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    const { rows } = await stack.db.pool.query('select different_from, confirmed_by, confirmed_org from duplicate_confirmations where pathway_id = $1', [confirmed.json().id]);
    expect(rows).toEqual([{ different_from: firstId, confirmed_by: coordinator.id, confirmed_org: 'mlsp' }]);

    // Both are listed to each other, with the confirmation, for closing one as a duplicate of the other.
    const listed = await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${firstId}/possible-duplicates` });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toEqual([expect.objectContaining({ pathwayId: confirmed.json().id, confirmedDifferent: expect.objectContaining({ by: coordinator.id }) })]);
  });

  it('takes a birth date known to the month as any day of it, and tells apart other days, the other sex and other names', async () => {
    const known = await openOne(coordinator, woman('Мадина', 'Турсунова', { birthDate: '1991-05' }));
    expect(known.statusCode, known.body).toBe(201);
    expectProblem(await openOne(coordinator, woman('Madina', 'Tursunova', { birthDate: '1991-05-29' })), 409, 'possible-duplicate');
    for (const other of [
      woman('Madina', 'Tursunova', { birthDate: '1991-06-01' }),
      woman('Madina', 'Tursunova', { birthDate: '1991-05', sex: 'male' }),
      woman('Malika', 'Tursunova', { birthDate: '1991-05' }),
    ]) {
      const opened = await openOne(coordinator, other);
      expect(opened.statusCode, opened.body).toBe(201);
    }
  });

  it('answers a retried opening with its pathway, not with itself as a duplicate', async () => {
    const who = woman('Zarina', 'Ismoilova');
    const first = await openOne(coordinator, who, {}, { 'idempotency-key': 'zarina-once' });
    const retry = await openOne(coordinator, who, {}, { 'idempotency-key': 'zarina-once' });
    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect(retry.json().id).toBe(first.json().id);
  });

  it('opens one of two requests for the same person sent at once, and refuses the other', async () => {
    const who = woman('Safiya', 'Nurlanova');
    const answers = await Promise.all([openOne(coordinator, who), openOne(coordinator, who)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
  });
});

describe('a cohort with people who may already have pathways', () => {
  it('names the rows, in the preview and in the opening, and opens nobody until each row is confirmed', async () => {
    const existing = await openOne(coordinator, woman('Dilnoza', 'Saidova'));
    const existingId = existing.json().id;
    const before = await count('pathways');
    const people = [{ person: woman('Lola', 'Karimova') }, { person: woman('Дильноза', 'Саидова') }];
    const preview = expectProblem(await cohort('?dryRun=true', people), 409, 'possible-duplicate');
    expect(preview.duplicates).toEqual([expect.objectContaining({ row: 1, pathwayId: existingId })]);
    const real = expectProblem(await cohort('', people), 409, 'possible-duplicate');
    expect(real.duplicates.map((d: { row: number; pathwayId: string }) => [d.row, d.pathwayId])).toEqual([[1, existingId]]);
    expect(await count('pathways')).toBe(before);

    people[1] = { ...people[1]!, differentFrom: [existingId] } as (typeof people)[number];
    expect((await cohort('?dryRun=true', people)).json()).toEqual({ valid: true, people: 2 });
    const opened = await cohort('', people);
    expect(opened.statusCode, opened.body).toBe(201);
    expect(await count('duplicate_confirmations where different_from = $1', [existingId])).toBe(1);
  });

  it('refuses a person written twice in one cohort, naming the rows, and takes twins whose names fold alike', async () => {
    const twice = woman('Amina', 'Rakhimova');
    const problem = expectProblem(await cohort('?dryRun=true', [{ person: twice }, { person: woman('Amina', 'Yusupova') }, { person: { ...twice, familyName: 'RAKHIMOVA ' } }]), 400, 'validation-failed');
    expect(problem.fields).toEqual([{ path: 'body.people.2.person', message: expect.stringContaining('row 1 ') }]);
    // Hasan and Husayn fold alike: twins are two rows of one cohort, not one person.
    const twins = [{ person: { ...woman('Hasan', 'Karimov'), sex: 'male' } }, { person: { ...woman('Husayn', 'Karimov'), sex: 'male' } }];
    expect((await cohort('?dryRun=true', twins)).json()).toEqual({ valid: true, people: 2 });
  });
});

describe('a possible duplicate in another organisation', () => {
  it('is never named to the one opening: oversight is told, and reviews it once', async () => {
    const mine = await openOne(coordinator, woman('Gulnora', 'Abdurakhmonova'));
    const mineId = mine.json().id;
    const theirs = await openOne(PRAVO.coordinator, woman('Гулнора', 'Абдурахмонова'));
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.json()).toEqual({ id: expect.any(String), oversightTold: true });
    expect(theirs.body).not.toContain(mineId);

    expectProblem(await call(app, stack, PRAVO.supervisor, { method: 'GET', url: '/v1/duplicate-alerts' }), 403, 'forbidden');
    const queue = await call(app, stack, OMBUDSMAN, { method: 'GET', url: '/v1/duplicate-alerts' });
    expect(queue.statusCode, queue.body).toBe(200);
    const alert = queue.json().items.find((a: { other: { pathwayId: string } }) => a.other.pathwayId === mineId);
    expect(alert).toMatchObject({
      opened: { pathwayId: theirs.json().id, organisations: ['pravo'], person: { name: 'Абдурахмонова Гулнора' } },
      other: { organisations: ['mlsp'], person: { name: 'Abdurakhmonova Gulnora' } },
      review: null,
    });
    expect(await count(`access_log where pathway_id = $1 and what = 'duplicates' and actor_org = 'oversight'`, [mineId])).toBe(1);

    const review = (body: object) => call(app, stack, OMBUDSMAN, { method: 'POST', url: `/v1/duplicate-alerts/${alert.id}/review`, payload: body });
    expectProblem(await review({ outcome: 'maybe' }), 400, 'validation-failed');
    expect((await review({ outcome: 'same-person', note: 'Same mother, two registrations' })).statusCode).toBe(200);
    expect(expectProblem(await review({ outcome: 'different-people' }), 409, 'action-refused').reason).toBe('already-reviewed');
    const reviewed = await call(app, stack, OMBUDSMAN, { method: 'GET', url: '/v1/duplicate-alerts?status=reviewed' });
    expect(reviewed.json().items.map((a: { id: string }) => a.id)).toContain(alert.id);
  });
});
