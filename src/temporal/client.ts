import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Config } from '../../config/index.js';
import { temporalConnectionOptions } from './connection.js';

/** A Temporal client for the configured namespace, encrypting payloads; close its connection on shutdown. */
export async function createTemporalClient(config: Config, address: string, codec: PayloadCodec): Promise<Client> {
  const connection = await Connection.connect(await temporalConnectionOptions(config.temporal, address));
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: { payloadCodecs: [codec] } });
}
