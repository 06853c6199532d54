import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureNamespace } from '../../src/temporal/namespace.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { testLogger } from '../helpers/stack.js';

let connection: Connection;
const address = inject('temporalAddress');

beforeAll(async () => {
  connection = await Connection.connect({ address });
});
afterAll(() => connection?.close());

describe('an existing Temporal server', () => {
  it('gets the namespace and search attributes the service needs, where it may create them', async () => {
    const namespace = `pathways-${randomUUID().slice(0, 8)}`;
    const options = { connection, namespace, address, searchAttributes: SEARCH_ATTRIBUTES, logger: testLogger() };
    await ensureNamespace(options);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    expect(Object.keys(customAttributes)).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTES.map((k) => k.name)));
    await ensureNamespace(options);
  });
});
