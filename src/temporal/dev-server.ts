import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { PathwaySearchAttribute } from '../../workflows/search-attributes.js';
import { clearLeftover, freePort, startManaged, waitUntilReady, writeServerRecord } from '../child-process.js';
import type { Logger } from '../logger.js';

/** A Temporal dev server the service runs itself, persisting to SQLite under the data folder. */
export interface EmbeddedTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

function searchAttributeFlags(keys: PathwaySearchAttribute[]): string[] {
  return keys.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
}

async function namespaceAnswers(address: string, namespace: string) {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}

function forward(logger: Logger, line: string) {
  try {
    const entry = JSON.parse(line) as { level?: string; msg?: string };
    logger.debug({ temporal: entry }, entry.msg ?? 'temporal');
  } catch {
    logger.debug({ temporal: line }, 'temporal');
  }
}

/**
 * What deploy/temporal-dynamic-config.yaml sets for the real server (a test keeps the two alike):
 * a worker gets the activity a workflow task schedules (every action's audit write) in the answer
 * to its completion, instead of a second trip through matching.
 */
export const DEV_DYNAMIC_CONFIG: Record<string, boolean | number | string> = { 'system.enableActivityEagerExecution': true };

/** Starts `temporal server start-dev` with the namespace and search attributes the service needs. */
export async function startTemporalDevServer(options: {
  cliPath: string;
  dataDir: string;
  namespace: string;
  port: number;
  uiPort: number;
  /** The service's codec endpoint, for the UI to show decrypted payloads to those who may see them. */
  uiCodecEndpoint?: string;
  searchAttributes: PathwaySearchAttribute[];
  logger: Logger;
}): Promise<EmbeddedTemporal> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const pidFile = path.join(options.dataDir, 'temporal.pid');
  const dbFile = path.join(options.dataDir, 'temporal.sqlite');
  await clearLeftover({
    name: 'Temporal dev server',
    recordFile: pidFile,
    binary: options.cliPath,
    dataArg: dbFile,
    signal: 'SIGTERM',
    logger: options.logger,
  });
  const port = options.port || (await freePort());
  const uiPort = options.uiPort || (await freePort());
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--namespace', options.namespace,
    '--db-filename', dbFile,
    // WAL without fsync on every write: the dev server is far too slow on file persistence otherwise.
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=OFF',
    ...Object.entries(DEV_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
    ...searchAttributeFlags(options.searchAttributes),
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    '--log-format', 'json',
    '--log-level', 'warn',
  ];
  const server = startManaged(options.cliPath, args, {}, (line) => forward(options.logger, line));
  if (server.child.pid) await writeServerRecord(pidFile, server.child.pid, options.cliPath);
  const address = `127.0.0.1:${port}`;
  await waitUntilReady('The Temporal dev server', server, () => namespaceAnswers(address, options.namespace), 60_000).catch((error: Error) => {
    // The UI's port is fixed by default (8233): say how to move it when something else holds it.
    if (options.uiPort && /UI port/.test(error.message)) {
      error.message = `${error.message}\nSet TEMPORAL_UI_PORT to another port, or to 0 for a free one.`;
    }
    throw error;
  });
  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    async stop() {
      await server.stop('SIGTERM', 15_000);
      await rm(pidFile, { force: true });
    },
  };
}
