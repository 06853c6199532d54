import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { FIELD_ERROR_CODES } from '../../src/domain/problem-codes.js';
import { REFUSAL_CODES } from '../../src/domain/refusal-codes.js';
import { ERRORS } from '../../src/errors.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

const { coordinator, staff } = ACTORS;
const child = () => person(9, ARRIVAL, { arrivedWith: 'mother' });
const opening = (overrides: Record<string, unknown> = {}) => ({ programme: 'UZ', operation: 'Mehr', phase: '4', arrivalDate: ARRIVAL, person: child(), ...overrides });
const KNOWN = new Set<string>([...FIELD_ERROR_CODES, ...REFUSAL_CODES, ...Object.keys(ERRORS)]);

type ProblemError = { pointer: string; code: string; params: Record<string, unknown>; in?: string };
const errorsOf = (body: { errors: ProblemError[] }) => body.errors;
const at = (body: { errors: ProblemError[] }, pointer: string) => body.errors.find((e) => e.pointer === pointer);

describe('problem errors[]: where, what and with which values, for a client to tell in its language', () => {
  it('names each field of an opening at fault by a JSON pointer and a catalogue code', async () => {
    const open = (payload: Record<string, unknown>) => call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload });
    const badDate = expectProblem(await open(opening({ person: { ...child(), birthDate: '2019-02-30' } })), 400, 'validation-failed');
    expect(at(badDate, '/person/birthDate')).toEqual({ pointer: '/person/birthDate', code: 'invalid-birth-date', params: {} });

    const { sex: _, ...withoutSex } = child();
    const noSex = expectProblem(await open(opening({ person: withoutSex })), 400, 'validation-failed');
    expect(errorsOf(noSex)).toEqual([{ pointer: '/person/sex', code: 'required', params: {} }]);

    const wrongSex = expectProblem(await open(opening({ person: { ...child(), sex: 'x' } })), 400, 'validation-failed');
    expect(at(wrongSex, '/person/sex')).toEqual({ pointer: '/person/sex', code: 'not-one-of', params: { options: ['female', 'male'] } });

    const unknown = expectProblem(await open(opening({ programme: 'XX' })), 400, 'validation-failed');
    expect(errorsOf(unknown)).toEqual([{ pointer: '/programme', code: 'not-one-of', params: { options: ['KG', 'KZ', 'TJ', 'UZ'] } }]);
    // The English words stay for API users.
    expect(unknown.fields).toEqual([{ path: 'body.programme', message: 'must be one of KG, KZ, TJ, UZ' }]);

    const adult = expectProblem(await open(opening({ programme: 'KG', operation: 'Meerim', phase: undefined, person: person(30, ARRIVAL) })), 400, 'validation-failed');
    expect(at(adult, '/person/birthDate')).toMatchObject({ code: 'age-out-of-range', params: { programme: 'KG', min: 2, max: 18, age: 30 } });

    const future = expectProblem(await open(opening({ person: { ...child(), birthDate: '2030-01-01' } })), 400, 'validation-failed');
    expect(at(future, '/person/birthDate')).toEqual({ pointer: '/person/birthDate', code: 'birth-after-arrival', params: { days: 120 } });

    const cohort = await call(app, stack, coordinator, { method: 'POST', url: '/v1/cohorts', payload: { programme: 'UZ', operation: 'Mehr', phase: '4', arrivalDate: ARRIVAL, people: [{ person: child() }, { person: { ...child(), sex: 'x' } }] } });
    expect(at(expectProblem(cohort, 400, 'validation-failed'), '/people/1/person/sex')).toMatchObject({ code: 'not-one-of' });
  });

  it('names an action payload at fault under /payload, and a refusal by its own code and values', async () => {
    const id = (await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening() })).json().id;
    const act = (payload: Record<string, unknown>) => call(app, stack, staff, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload });

    const badPayload = expectProblem(await act({ type: 'medical.record-screening', payload: { result: 7 } }), 400, 'validation-failed');
    expect(at(badPayload, '/payload/result')).toMatchObject({ code: 'not-one-of' });
    const missing = expectProblem(await act({ type: 'medical.record-screening', payload: {} }), 400, 'validation-failed');
    expect(at(missing, '/payload/result')).toEqual({ pointer: '/payload/result', code: 'required', params: {} });

    const early = expectProblem(await act({ type: 'education.record-assessment', payload: { level: 'primary', grade: 1, tutoring: false } }), 409, 'action-refused');
    expect(early).toMatchObject({ reason: 'wrong-stage', detail: 'The education stage cannot start yet: waiting for quarantine to be done.' });
    expect(errorsOf(early)).toEqual([{ pointer: '', code: 'stage-not-started', params: { stage: 'education', blockers: ['waiting for quarantine to be done'] } }]);

    expect((await act({ type: 'medical.record-screening', payload: { result: 'cleared' } })).statusCode).toBe(200);
    const again = expectProblem(await act({ type: 'medical.record-screening', payload: { result: 'cleared' } }), 409, 'action-refused');
    expect(again).toMatchObject({ reason: 'wrong-stage', detail: 'Screening has already cleared the person.' });
    expect(errorsOf(again)).toEqual([{ pointer: '', code: 'screening-already-cleared', params: {} }]);

    const noRole = expectProblem(await act({ type: 'pathway.close', payload: { reason: 'withdrawn' } }), 403, 'forbidden');
    expect(errorsOf(noRole)[0]).toMatchObject({ pointer: '', code: 'wrong-role', params: { role: 'staff', roles: ['supervisor'] } });
  });

  it('gives every problem errors[] with codes of the catalogue, and no 5xx for any of these', async () => {
    const answers = [
      await app.inject({ method: 'POST', url: '/v1/pathways', headers: { 'content-type': 'application/json' }, payload: '{' }),
      await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', headers: { 'content-type': 'application/json' }, payload: '{"programme": ' }),
      await call(app, stack, staff, { method: 'GET', url: '/v1/pathways/3f8e4c1a-1111-4222-8333-944445555666' }),
      await call(app, stack, staff, { method: 'GET', url: '/v1/pathways?limit=0' }),
      await call(app, stack, coordinator, { method: 'POST', url: '/v1/pathways', payload: opening({ person: { ...child(), givenName: 'A\u0000' } }) }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode).toBeLessThan(500);
      const body = answer.json();
      expect(body.errors.length).toBeGreaterThan(0);
      for (const error of body.errors) {
        expect(KNOWN.has(error.code), error.code).toBe(true);
        expect(error.pointer === '' || error.pointer.startsWith('/')).toBe(true);
      }
    }
    expect(answers[1]!.json().errors).toEqual([{ pointer: '', code: 'invalid-json', params: {} }]);
    expect(answers[4]!.json().errors[0]).toMatchObject({ pointer: '/person/givenName', code: 'invalid-text' });
  });
});
