// Findings 1, 6, 7, 10 (dates), 11 (logs) and 12 of the hardening issue: what a careless or
// hostile client sends is refused at the edge with a 400 naming the field, and never reaches
// PostgreSQL or a search attribute.
import { readFileSync } from 'node:fs';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { describe, expect, inject, it } from 'vitest';
import { workflowIdOf } from '../../src/domain/model.js';
import { actUpdate } from '../../workflows/definitions.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

const { coordinator, staff, supervisor } = ACTORS;
const LONE_SURROGATE = 'Meerim \ud83d';
const opening = (overrides: Record<string, unknown> = {}) => ({
  programme: 'KG',
  operation: 'Meerim',
  arrivalDate: ARRIVAL,
  person: person(9, ARRIVAL, { arrivedWith: 'siblings' }),
  ...overrides,
});
const open = (payload: Record<string, unknown>, headers: Record<string, string> = {}) => call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload, headers });
const pathwayCount = async () => (await stack.db.pool.query('select count(*)::int as n from pathways')).rows[0].n as number;
const fieldsOf = (response: Awaited<ReturnType<typeof call>>) => expectProblem(response, 400, 'validation-failed').fields.map((f: { path: string }) => f.path);

describe('text the API accepts', () => {
  it('refuses a lone surrogate or a control character anywhere, naming the field, and opens nothing', async () => {
    const before = await pathwayCount();
    expect(fieldsOf(await open(opening({ operation: LONE_SURROGATE })))).toEqual(['body.operation']);
    expect(fieldsOf(await open(opening({ person: { ...person(9, ARRIVAL, { arrivedWith: 'siblings' }), givenName: 'Aigerim\u0000' } })))).toEqual(['body.person.givenName']);
    expect(fieldsOf(await open(opening({ person: { ...person(9, ARRIVAL, { arrivedWith: 'siblings' }), familyName: 'Nurlan\ud800ova' } })))).toEqual(['body.person.familyName']);
    expect(fieldsOf(await open(opening(), { 'idempotency-key': 'row\u0000' }))).toEqual(['headers.idempotency-key']);
    const cohort = { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, people: [{ person: { ...person(8, ARRIVAL, { arrivedWith: 'siblings' }), patronymic: '\u0007' } }] };
    expect(fieldsOf(await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload: cohort }))).toEqual(['body.people.0.person.patronymic']);
    expect(await pathwayCount()).toBe(before);
  });

  it('refuses operations and phases the programme does not declare: no free text reaches a search attribute', async () => {
    expect(expectProblem(await open(opening({ operation: 'Aigerim Nurlanova' })), 400, 'validation-failed').fields[0].path).toBe('body.operation');
    const unknown = await open(opening({ operation: 'Zhusan' }));
    expect(expectProblem(unknown, 400, 'validation-failed').fields).toEqual([{ path: 'body.operation', message: 'must be one of Meerim' }]);
    const phase = await open(opening({ programme: 'KZ', operation: 'Zhusan', phase: '9', person: person(30, ARRIVAL) }));
    expect(expectProblem(phase, 400, 'validation-failed').fields).toEqual([{ path: 'body.phase', message: 'must be one of 1, 2, 3, 4, 5' }]);
    expect((await open(opening({ programme: 'KZ', operation: 'Zhusan', phase: '3', person: person(30, ARRIVAL) }))).statusCode).toBe(201);
  });

  it('refuses bad query strings and notes with 400, never 500', async () => {
    expect(fieldsOf(await call(app, stack, supervisor, { method: 'GET', url: '/v1/pathways?operation=%00' }))).toEqual(['querystring.operation']);
    expect(fieldsOf(await call(app, stack, supervisor, { method: 'GET', url: '/v1/pathways?operation=Meerim%ED%A0%BD' }))).toEqual(['querystring.operation']);
    const forged = Buffer.from(JSON.stringify(['not a date', '3f8e4c1a-1111-4222-8333-944445555666'])).toString('base64url');
    expect(fieldsOf(await call(app, stack, supervisor, { method: 'GET', url: `/v1/pathways?cursor=${forged}` }))).toEqual(['querystring.cursor']);
    const february30 = Buffer.from(JSON.stringify(['2021-02-30 00:00:00+00', '3f8e4c1a-1111-4222-8333-944445555666'])).toString('base64url');
    expect(fieldsOf(await call(app, stack, supervisor, { method: 'GET', url: `/v1/pathways?cursor=${february30}` }))).toEqual(['querystring.cursor']);
    const yearZero = Buffer.from(JSON.stringify(['0000-01-01 00:00:00+00', '3f8e4c1a-1111-4222-8333-944445555666'])).toString('base64url');
    expect(fieldsOf(await call(app, stack, supervisor, { method: 'GET', url: `/v1/pathways?cursor=${yearZero}` }))).toEqual(['querystring.cursor']);

    const id = (await open(opening())).json().id;
    const note = await call(app, stack, staff, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: 'medical.record-screening', payload: { result: 'cleared' }, note: 'fine\u0000' } });
    expect(fieldsOf(note)).toEqual(['body.note']);
    const deep: Record<string, unknown> = JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`);
    expect(fieldsOf(await call(app, stack, staff, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: 'medical.record-screening', payload: deep } }))[0]).toMatch(/^body\.payload/);
    const multiline = await call(app, stack, staff, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: 'medical.record-screening', payload: { result: 'cleared' }, note: 'first line\nsecond line' } });
    expect(multiline.statusCode).toBe(200);
  });

  it('keeps text in Unicode NFC, so the same name typed two ways is stored the same way', async () => {
    const decomposed = 'Aigerimka\u0301';
    const id = (await open(opening({ person: { ...person(9, ARRIVAL, { arrivedWith: 'siblings' }), givenName: decomposed } }))).json().id;
    const { rows } = await stack.db.pool.query('select given_name from people where pathway_id = $1', [id]);
    expect(rows[0].given_name).toBe(decomposed.normalize('NFC'));
  });

  it('refuses implausible dates: a year 0, an arrival in the future, a birth 120 years before arrival', async () => {
    expect(fieldsOf(await open(opening({ arrivalDate: '0000-01-01' })))).toContain('body.arrivalDate');
    expect(fieldsOf(await open(opening({ arrivalDate: '2099-01-01' })))).toEqual(['body.arrivalDate']);
    const old = await open(opening({ programme: 'KZ', operation: 'Rusafa', person: { ...person(30, ARRIVAL), birthDate: '1800-05-01' } }));
    expect(fieldsOf(old)).toEqual(['body.person.birthDate']);
    const ancient = await open(opening({ programme: 'KZ', operation: 'Rusafa', person: { ...person(30, ARRIVAL), birthDate: '1900-01-01' } }));
    expect(expectProblem(ancient, 400, 'validation-failed').fields).toEqual([{ path: 'body.person.birthDate', message: 'must be at most 120 years before the arrival date' }]);
  });

  it("logs codes and field paths, never the values it refused", () => {
    const log = readFileSync(inject('logFile'), 'utf8');
    expect(log).not.toContain('Aigerim Nurlanova');
    expect(log).not.toContain('Meerim \\ud83d');
    expect(log).not.toContain('0000-01-01');
    // Requests are logged by path: query strings (filters, cursors) stay out.
    expect(log).toContain('"url":"/v1/pathways"');
    expect(log).not.toContain('?operation=');
    expect(log).not.toContain('?cursor=');
  });
});

describe('pathway ids', () => {
  it('are UUIDs in any case on every route: an upper-case id reads and acts on the same pathway', async () => {
    const id: string = (await open(opening())).json().id;
    const upper = id.toUpperCase();
    const read = await call(app, stack, staff, { method: 'GET', url: `/v1/pathways/${upper}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().pathwayId).toBe(id);
    const acted = await call(app, stack, staff, { method: 'POST', url: `/v1/pathways/${upper}/actions`, payload: { type: 'medical.record-screening', payload: { result: 'cleared' } } });
    expect(acted.statusCode).toBe(200);
    expect((await call(app, stack, supervisor, { method: 'GET', url: `/v1/pathways/${upper}/history` })).json().pathwayId).toBe(id);
    expectProblem(await call(app, stack, staff, { method: 'GET', url: `/v1/pathways/${id}x` }), 404, 'not-found');
  });
});

describe('the pathway itself', () => {
  it('refuses, before applying it, an action whose content PostgreSQL could not store, even from a client that bypasses the API', async () => {
    const id: string = (await open(opening())).json().id;
    const handle = stack.client.workflow.getHandle(workflowIdOf(id));
    const envelope = { pathwayId: id, type: 'medical.record-screening', payload: { result: 'cleared' }, actionId: 'bypass-1', actor: { ...staff, id: 'staff\ud83d' } };
    const refusal = await handle.executeUpdate(actUpdate, { args: [envelope], updateId: 'bypass-1' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'invalid-data' });
    const state = await call(app, stack, staff, { method: 'GET', url: `/v1/pathways/${id}` });
    expect(state.json().version).toBe(1);
  });
});
