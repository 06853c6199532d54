import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { loadConfig, PROJECT_ROOT } from '../../../config/index.js';
import { Cluster, stopLeftovers } from '../../../src/cluster/cluster.js';
import { WORKERS } from '../../../src/cluster/shape.js';
import { createPool, type Pool } from '../../../src/db/pool.js';
import { createLogger, type Logger } from '../../../src/logger.js';
import { createTemporalClient } from '../../../src/temporal/client.js';
import { createPayloadCodec } from '../../../src/temporal/codec.js';
import { installTemporalRuntime } from '../../../src/temporal/logging.js';

export interface TestCluster {
  cluster: Cluster;
  /** A client with the cluster's payload key, to read what the workflows themselves say. */
  client: Client;
  pool: Pool;
  logger: Logger;
  dataDir: string;
  /** Stops everything; the data folder stays when the run failed, to be inspected. */
  stop(options: { keepData: boolean }): Promise<void>;
}

/**
 * The production shape as `npm run cluster` runs it, on free ports, with its data in
 * `.data/test-<name>` (inside the project, so a second build made there finds node_modules).
 * What a killed run of the same test left there is stopped and removed first.
 */
export async function startTestCluster(options: { name: string; clockScale: number }): Promise<TestCluster> {
  const dataDir = path.join(PROJECT_ROOT, '.data', `test-${options.name}`);
  await stopLeftovers(dataDir, pino({ level: 'warn' }));
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(path.join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  const logger = createLogger({ level: 'debug', format: 'json' }, pino.destination({ dest: path.join(dataDir, 'logs', 'cluster.log'), sync: true }));
  installTemporalRuntime(logger);
  const cluster = await Cluster.start({
    dataDir,
    distDir: path.join(PROJECT_ROOT, 'dist'),
    toolsDir: path.join(PROJECT_ROOT, '.tools'),
    ports: { api: 0, temporal: 0, postgres: 0, idp: 0 },
    workers: WORKERS,
    clockScale: options.clockScale,
    // Sixteen clients with three people each; the limit itself is tested elsewhere.
    rateLimitPerMinute: 6000,
    logger,
  });
  const config = loadConfig(cluster.serviceEnv());
  const client = await createTemporalClient(config, cluster.temporal.address, await createPayloadCodec(config));
  const pool = createPool({ url: cluster.databaseUrl, size: 4, logger });
  return {
    cluster,
    client,
    pool,
    logger,
    dataDir,
    async stop({ keepData }) {
      await client.connection.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await cluster.stop();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
