// Finding 8 of the hardening issue: the codec endpoint decrypts only payloads of pathways the
// caller may read (anyone who may GET the pathway), and encrypts nothing for anyone.
import type { Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { workflowIdOf } from '../../src/domain/model.js';
import { call, expectProblem, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
const mlspCoordinator = ACTORS.coordinator;
const pravoCoordinator: Actor = { id: 'coordinator-olga', role: 'coordinator', org: 'pravo' };
const pravoSupervisor: Actor = { id: 'supervisor-pavel', role: 'supervisor', org: 'pravo' };
const oversight: Actor = { id: 'auditor-ada', role: 'supervisor', org: 'oversight' };
let mlspPathway: string;
let pravoPathway: string;

async function openFor(actor: Actor) {
  const payload = { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: person(7, ARRIVAL, { arrivedWith: 'siblings' }) };
  return (await call(app, stack, actor, { method: 'POST', url: '/v1/pathways', payload })).json().id as string;
}

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  mlspPathway = await openFor(mlspCoordinator);
  pravoPathway = await openFor(pravoCoordinator);
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const toBase64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('base64');
const wire = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, toBase64(v)])), data: toBase64(p.data) })),
});

/** The payloads Temporal holds for a pathway, exactly as the Temporal Web UI receives them. */
async function storedPayloads(pathwayId: string): Promise<Payload[]> {
  const { history } = await stack.client.workflowService.getWorkflowExecutionHistory({
    namespace: stack.config.temporal.namespace,
    execution: { workflowId: workflowIdOf(pathwayId) },
  });
  const started = history!.events![0]!.workflowExecutionStartedEventAttributes!;
  return started.input!.payloads! as Payload[];
}

const decode = (actor: Actor, payloads: Payload[]) => call(app, stack, actor, { method: 'POST', url: '/codec/decode', payload: wire(payloads) });
const plainText = (answer: Awaited<ReturnType<typeof decode>>) => answer.json().payloads.map((p: { data: string }) => Buffer.from(p.data, 'base64').toString('utf8'));
const encodingOf = (answer: Awaited<ReturnType<typeof decode>>) => answer.json().payloads.map((p: { metadata: { encoding: string } }) => Buffer.from(p.metadata.encoding, 'base64').toString());

describe('the codec endpoint', () => {
  it("decrypts a pathway's payloads for supervisors of its organisation and the oversight organisation", async () => {
    const payloads = await storedPayloads(mlspPathway);
    const own = await decode(ACTORS.supervisor, payloads);
    expect(own.statusCode).toBe(200);
    expect(encodingOf(own)).toEqual(['json/plain']);
    expect(plainText(own)[0]).toContain(`"pathwayId":"${mlspPathway}"`);
    expect(encodingOf(await decode(oversight, payloads))).toEqual(['json/plain']);
  });

  it("returns another organisation's payloads still encrypted", async () => {
    const answer = await decode(pravoSupervisor, [...(await storedPayloads(mlspPathway)), ...(await storedPayloads(pravoPathway))]);
    expect(answer.statusCode).toBe(200);
    expect(encodingOf(answer)).toEqual(['binary/encrypted', 'json/plain']);
    expect(plainText(answer)[0]).not.toContain('pathwayId');
  });

  it('decrypts for staff and coordinators exactly what they may read, as GET /v1/pathways/:id does', async () => {
    const pravoStaff: Actor = { id: 'staff-ivan', role: 'staff', org: 'pravo' };
    const both = [...(await storedPayloads(mlspPathway)), ...(await storedPayloads(pravoPathway))];
    for (const [actor, own, theirs] of [
      [ACTORS.staff, mlspPathway, pravoPathway],
      [mlspCoordinator, mlspPathway, pravoPathway],
      [pravoStaff, pravoPathway, mlspPathway],
    ] as const) {
      const read = (id: string) => call(app, stack, actor, { method: 'GET', url: `/v1/pathways/${id}` });
      expect([(await read(own)).statusCode, (await read(theirs)).statusCode], actor.id).toEqual([200, 404]);
      const answer = await decode(actor, both);
      expect(answer.statusCode).toBe(200);
      expect(encodingOf(answer), actor.id).toEqual(own === mlspPathway ? ['json/plain', 'binary/encrypted'] : ['binary/encrypted', 'json/plain']);
      expect(plainText(answer).join(), actor.id).toContain(`"pathwayId":"${own}"`);
      expect(plainText(answer).join(), actor.id).not.toContain(`"pathwayId":"${theirs}"`);
    }
  });

  it('cannot be fooled by relabelling a payload with a pathway the caller may read', async () => {
    const [theirs] = await storedPayloads(mlspPathway);
    const relabelled = { ...theirs!, metadata: { ...theirs!.metadata, 'pathway-id': Buffer.from(pravoPathway) } };
    const answer = await decode(pravoSupervisor, [relabelled]);
    expectProblem(answer, 400, 'validation-failed');
    expect(answer.body).not.toContain('ageBand');
  });

  it('decrypts payloads that name no pathway for the oversight organisation only', async () => {
    const untagged = await stack.codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"kind":"joined","isChild":true}') }]);
    expect(encodingOf(await decode(ACTORS.supervisor, untagged))).toEqual(['binary/encrypted']);
    expect(encodingOf(await decode(ACTORS.staff, untagged))).toEqual(['binary/encrypted']);
    expect(encodingOf(await decode(oversight, untagged))).toEqual(['json/plain']);
  });

  it('offers no encoding to anyone', async () => {
    const plain = [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"a":1}') }];
    expectProblem(await call(app, stack, oversight, { method: 'POST', url: '/codec/encode', payload: wire(plain) }), 404, 'not-found');
  });
});
