import { readFile } from 'node:fs/promises';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../../config/index.js';

/** Options shared by the client's Connection and the worker's NativeConnection. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

async function readPem(file: string | undefined, setting: string): Promise<Buffer | undefined> {
  if (!file) return undefined;
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${setting}: cannot read ${file} (${error.code ?? error.message})`);
  });
}

/** TLS and API-key options for a remote cluster or Temporal Cloud, read from the files config names. */
export async function temporalConnectionOptions(temporal: Config['temporal'], address: string): Promise<TemporalConnectionOptions> {
  if (!temporal.tls) return { address };
  const [ca, crt, key] = await Promise.all([
    readPem(temporal.tls.caFile, 'TEMPORAL_TLS_CA_FILE'),
    readPem(temporal.tls.certFile, 'TEMPORAL_TLS_CERT_FILE'),
    readPem(temporal.tls.keyFile, 'TEMPORAL_TLS_KEY_FILE'),
  ]);
  return {
    address,
    apiKey: temporal.apiKey,
    tls: {
      serverNameOverride: temporal.tls.serverName,
      serverRootCACertificate: ca,
      clientCertPair: crt && key ? { crt, key } : undefined,
    },
  };
}
