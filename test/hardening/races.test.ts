// Findings 2, 3 and 13 of the hardening issue: retries, concurrent callers and ids that two
// people chose alike must neither lose nor duplicate anything, nor link what is unrelated.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS, ARRIVAL, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

const { coordinator, staff, supervisor } = ACTORS;
const child = (arrivedWith: 'siblings' | 'mother' = 'siblings') => person(9, ARRIVAL, { arrivedWith });
const openOne = async (actor: Actor = coordinator, extra: Record<string, unknown> = {}) =>
  (await call(app, stack, actor, { method: 'POST', url: '/v1/pathways', payload: { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: child(), ...extra } })).json().id as string;
const act = (id: string, body: Record<string, unknown>, actor: Actor = staff) => call(app, stack, actor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: body });
const entriesOf = async (id: string, actionId: string) =>
  (await stack.db.pool.query('select seq, type from audit_entries where pathway_id = $1 and action_id = $2', [id, actionId])).rows;

describe('an Idempotency-Key sent by concurrent callers', () => {
  it('opens one pathway and gives every caller its id, on /v1/pathways', async () => {
    const payload = { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: child() };
    const headers = { 'idempotency-key': 'race-single-row-17' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload, headers })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    const { rows } = await stack.db.pool.query("select count(*)::int as n from pathways where idempotency_key like '%race-single-row-17%'");
    expect(rows[0].n).toBe(1);
  });

  it('opens one cohort and gives every caller the same ids, on /v1/cohorts', async () => {
    const payload = { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, people: [{ person: child() }, { person: child() }, { person: child() }] };
    const headers = { 'idempotency-key': 'race-cohort-meerim' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload, headers })));
    expect(answers.every((a) => a.statusCode === 200 || a.statusCode === 201)).toBe(true);
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.json().pathways))).size).toBe(1);
    const { rows } = await stack.db.pool.query("select count(*)::int as n from pathways where idempotency_key like '%race-cohort-meerim%'");
    expect(rows[0].n).toBe(3);
  });

  it('does not write the key into the logs', () => {
    expect(readFileSync(inject('logFile'), 'utf8')).not.toContain('race-single-row-17');
  });
});

describe('an actionId', () => {
  it('sent again with the same action answers applied: false with the original version, and records it once', async () => {
    const id = await openOne();
    const body = { type: 'medical.record-screening', payload: { result: 'cleared' }, note: 'no infections', actionId: 'screening-17' };
    const first = await act(id, body);
    expect(first.json()).toMatchObject({ actionId: 'screening-17', applied: true, version: 2 });
    await act(id, { type: 'security.record-outcome', payload: { outcome: 'cleared' } }).catch(() => undefined);
    const again = await act(id, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ actionId: 'screening-17', applied: false, version: 2 });
    expect(await entriesOf(id, 'screening-17')).toEqual([{ seq: 2, type: 'medical.record-screening' }]);
  });

  it('sent with a different action is refused with 409 action-id-reused, and nothing of it is kept', async () => {
    const id = await openOne();
    expect((await act(id, { type: 'medical.record-screening', payload: { result: 'treatment-needed' }, actionId: 'reused-1' })).statusCode).toBe(200);
    const other = await act(id, { type: 'medical.refer-to-hospital', payload: { reason: 'wound' }, note: 'sent to the regional hospital', actionId: 'reused-1' });
    expect(expectProblem(other, 409, 'action-id-reused').reason).toBe('action-id-reused');
    const sameTypeOtherPayload = await act(id, { type: 'medical.record-screening', payload: { result: 'cleared' }, actionId: 'reused-1' });
    expectProblem(sameTypeOtherPayload, 409, 'action-id-reused');
    expect(await entriesOf(id, 'reused-1')).toEqual([{ seq: 2, type: 'medical.record-screening' }]);
    const notes = await stack.db.pool.query('select text from action_notes where pathway_id = $1', [id]);
    expect(notes.rows).toEqual([]);
    const history = (await call(app, stack, supervisor, { method: 'GET', url: `/v1/pathways/${id}/history` })).json();
    expect(history.entries.map((e: { type: string }) => e.type)).toEqual(['pathway.opened', 'medical.record-screening']);
  });

  it('sent by ten concurrent callers is applied once; the others learn it was already applied', async () => {
    const id = await openOne();
    const body = { type: 'medical.record-screening', payload: { result: 'cleared' }, actionId: 'concurrent-1' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => act(id, body)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.json().applied)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json().version))).toEqual(new Set([2]));
    expect(await entriesOf(id, 'concurrent-1')).toHaveLength(1);
  });
});

describe('a family group id', () => {
  it('written alike by two organisations, or for two arrivals, links nobody across them', async () => {
    const otherOrg: Actor = { id: 'coordinator-olga', role: 'coordinator', org: 'pravo' };
    const family = { familyGroupId: 'family-1' };
    const ours = [await openOne(coordinator, family), await openOne(coordinator, family)];
    const theirs = await openOne(otherOrg, family);
    const laterArrival = await openOne(coordinator, { ...family, arrivalDate: '2021-04-20' });
    const members = async (id: string) =>
      (await waitFor(stack.client, id, (s) => s.version >= 1)).familyGroup?.members.map((m) => m.pathwayId).sort() ?? [];
    await waitFor(stack.client, ours[0]!, (s) => (s.familyGroup?.members.length ?? 0) === 1);
    expect(await members(ours[0]!)).toEqual([ours[1]]);
    expect(await members(ours[1]!)).toEqual([ours[0]]);
    expect(await members(theirs)).toEqual([]);
    expect(await members(laterArrival)).toEqual([]);
  });
});
