import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workflowIdOf } from '../../src/domain/model.js';
import { openPathways } from '../../src/pathways/open.js';
import { createTemporalClient } from '../../src/temporal/client.js';
import { EncryptionCodec } from '../../src/temporal/codec.js';
import { startWorker } from '../../src/temporal/worker.js';
import { PROGRAMME } from '../../workflows/search-attributes.js';
import { call, startTestApi } from '../helpers/api.js';
import { payloadsOf } from '../helpers/history.js';
import { ACTORS, act, ARRIVAL, stateOf } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
let rawClient: Client;
beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  // What someone reading Temporal's database or API sees: no codec at all.
  rawClient = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), namespace: stack.config.temporal.namespace });
});
afterAll(async () => {
  await rawClient?.connection.close();
  await app?.close();
  await stack?.stop();
});

const textOf = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe("a pathway's history in Temporal", () => {
  it('holds none of the personal fields, encrypted or not, and decodes with the codec', async () => {
    const who = person(10, ARRIVAL, { arrivedWith: 'orphan' });
    const opened = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/pathways', payload: { programme: 'TJ', operation: 'Iraq', arrivalDate: ARRIVAL, person: who } });
    const id = opened.json().id;
    const note = `Spoke with ${who.givenName} ${who.familyName} about school`;
    await call(app, stack, ACTORS.staff, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: 'medical.record-screening', payload: { result: 'cleared' }, note } });

    const handle = rawClient.workflow.getHandle(workflowIdOf(id));
    const history = await handle.fetchHistory();
    const description = await handle.describe();
    const everything = JSON.stringify(history, (_k, v) => (v instanceof Uint8Array || v?.type === 'Buffer' ? Buffer.from(v.data ?? v).toString('utf8') : v));
    for (const value of [who.givenName, who.familyName, who.patronymic!, who.birthDate, note]) {
      expect(everything).not.toContain(value);
      expect(JSON.stringify(description.typedSearchAttributes)).not.toContain(value);
    }
    expect(description.memo ?? {}).toEqual({});
    expect(description.typedSearchAttributes.get(PROGRAMME)).toBe('TJ');

    const payloads = payloadsOf(history);
    expect(payloads.length).toBeGreaterThan(3);
    for (const payload of payloads) expect(textOf(payload.metadata!.encoding)).toBe('binary/encrypted');
    expect(everything).not.toContain('"ageBand"');
    // The SDK writes patch markers in plain JSON; a new pathway knows its changes from its input and has none.
    expect(payloadsOf(history, 'patch-markers')).toEqual([]);

    const decoded = (await stack.codec.decode(payloads)).map((p) => textOf(p.data)).join('\n');
    expect(decoded).toContain(`"pathwayId":"${id}"`);
    expect(decoded).toContain('"ageBand":"6-11"');
    for (const value of [who.givenName, who.familyName, who.birthDate, note]) expect(decoded).not.toContain(value);
  });
});

describe('rotating the payload key', () => {
  it('keeps old pathways readable and moving while new payloads use the new key', async () => {
    const key = () => randomBytes(32);
    const [k1, k2] = [key(), key()];
    const before = new EncryptionCodec(new Map([['k1', k1]]), 'k1');
    const after = new EncryptionCodec(new Map([['k1', k1], ['k2', k2]]), 'k2');
    const onlyNew = new EncryptionCodec(new Map([['k2', k2]]), 'k2');
    const address = stack.config.temporal.address!;
    const bundle = { codePath: inject('workflowBundlePath') };
    const deps = (client: Client) => ({ pool: stack.db.pool, client, config: stack.config, templates: stack.templates });
    await stack.worker!.stop();

    const oldClient = await createTemporalClient(stack.config, address, before);
    let worker = await startWorker({ config: stack.config, address, pool: stack.db.pool, bundle, codec: before });
    const opening = (phase: string) => ({ request: { programme: 'KZ', operation: 'Zhusan', phase, arrivalDate: ARRIVAL, person: person(33, ARRIVAL) }, fieldPrefix: '' });
    const [old] = await openPathways(deps(oldClient), ACTORS.coordinator, [opening('1')]);
    await act(oldClient, old!.id, 'medical.record-screening', { result: 'cleared' }, ACTORS.staff);
    await worker.stop();
    await oldClient.connection.close();

    const newClient = await createTemporalClient(stack.config, address, after);
    worker = await startWorker({ config: stack.config, address, pool: stack.db.pool, bundle, codec: after });
    try {
      const { state } = await act(newClient, old!.id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.staff);
      expect(state.stages.find((s) => s.stage === 'security')!.status).toBe('done');
      const [fresh] = await openPathways(deps(newClient), ACTORS.coordinator, [opening('2')]);
      expect((await stateOf(newClient, fresh!.id)).phase).toBe('2');

      const keyIds = async (id: string) =>
        new Set(payloadsOf(await rawClient.workflow.getHandle(workflowIdOf(id)).fetchHistory()).map((p) => textOf(p.metadata!['encryption-key-id'])));
      expect(await keyIds(old!.id)).toEqual(new Set(['k1', 'k2']));
      expect(await keyIds(fresh!.id)).toEqual(new Set(['k2']));

      const oldPayloads = payloadsOf(await rawClient.workflow.getHandle(workflowIdOf(old!.id)).fetchHistory());
      await expect(onlyNew.decode(oldPayloads)).rejects.toThrow('No payload key with id "k1"');
    } finally {
      await worker.stop();
      await newClient.connection.close();
    }
  });
});
