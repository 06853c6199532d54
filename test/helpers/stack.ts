import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../config/index.js';
import { loadTemplates } from '../../config/pathways/index.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import type { Programme } from '../../src/domain/model.js';
import type { Template } from '../../src/domain/template.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createTemporalClient } from '../../src/temporal/client.js';
import { createPayloadCodec, type EncryptionCodec } from '../../src/temporal/codec.js';
import { installTemporalRuntime } from '../../src/temporal/logging.js';
import { startWorker, type PathwayWorker } from '../../src/temporal/worker.js';
import { notifierId, startNotifier } from '../../src/notify/start.js';

let runtimeInstalled = false;

/** A logger writing to the run's shared log file, so the whole run's logs can be inspected. */
export function testLogger(): Logger {
  const logger = createLogger({ level: 'debug', format: 'json' }, pino.destination({ dest: inject('logFile'), append: true, sync: true }));
  if (!runtimeInstalled) {
    installTemporalRuntime(logger);
    runtimeInstalled = true;
  }
  return logger;
}

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own, copied from the run's template. */
export async function testDatabase(logger: Logger, poolSize = 5): Promise<TestDatabase> {
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await adminQuery(`create database ${name} template pathways_template`);
  const url = inject('adminDatabaseUrl').replace(/\/postgres$/, `/${name}`);
  const pool = createPool({ url, size: poolSize, logger });
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/** Configuration pointing at the run's servers, as a deployment would set it. */
export const TEST_JWT_SECRET = 'test-secret-for-development-tokens-only';
/** Fixed so the recorded histories under test/histories decode in the replay test; test data only. */
export const TEST_PAYLOAD_KEYS = 'test-1:dGVzdC1vbmx5LXBheWxvYWQta2V5LTMyLWJ5dGVzISE=';

export function testConfig(env: NodeJS.ProcessEnv): Config {
  return loadConfig({
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'json',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    PAYLOAD_ACTIVE_KEY: 'test-1',
    ...env,
  });
}

export interface TestStack {
  config: Config;
  logger: Logger;
  db: TestDatabase;
  client: Client;
  codec: EncryptionCodec;
  /** Unset when the test runs its own worker. */
  worker?: PathwayWorker;
  templates: ReadonlyMap<Programme, Template>;
  stop(): Promise<void>;
}

/** A database, a client and a worker on a task queue of their own: what one test file needs. */
export async function startTestStack(
  options: { clockScale?: number; worker?: boolean; notifier?: boolean; db?: TestDatabase; env?: NodeJS.ProcessEnv; poolSize?: number } = {},
): Promise<TestStack> {
  const logger = testLogger();
  const db = options.db ?? (await testDatabase(logger, options.poolSize));
  const config = testConfig({
    DATABASE_URL: db.url,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    PATHWAY_CLOCK_SCALE: String(options.clockScale ?? 1),
    // A busy 2-core machine (a cohort of 200 just opened) may take longer than production's 10 s.
    TEMPORAL_UPDATE_TIMEOUT_SECONDS: '30',
    ...options.env,
  });
  const codec = await createPayloadCodec(config);
  const client = await createTemporalClient(config, config.temporal.address!, codec);
  const worker =
    options.worker === false
      ? undefined
      : await startWorker({ config, address: config.temporal.address!, pool: db.pool, bundle: { codePath: inject('workflowBundlePath') }, codec });
  // Only where a test delivers notifications: others leave their deliveries pending.
  if (options.notifier && worker) await startNotifier(client, config);
  return {
    config,
    logger,
    db,
    client,
    codec,
    worker,
    templates: await loadTemplates(),
    async stop() {
      // Its worker goes: the notifier would wait for one for as long as the dev server runs.
      if (options.notifier && worker) await client.workflow.getHandle(notifierId(config)).terminate('test over').catch(() => undefined);
      await worker?.stop();
      await client.connection.close();
      await db.drop();
    },
  };
}
