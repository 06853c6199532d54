import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../config/index.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { startInfrastructure } from '../../src/infrastructure.js';
import { createLogger } from '../../src/logger.js';
import { bundleWorkflows } from '../../src/temporal/worker.js';
import { PERSONAL_VALUES_FILE } from './people.js';

export const TEMPLATE_DATABASE = 'pathways_template';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    adminDatabaseUrl: string;
    workflowBundlePath: string;
    logFile: string;
    dataDir: string;
  }
}

/**
 * Starts one Temporal dev server and one PostgreSQL for the whole run, through the same code as
 * `npm start`, migrates a template database that each test file copies, and bundles the workflows once.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pathways-test-'));
  const logFile = path.join(dataDir, 'test.log');
  // The UI on a free port: test runs must not fight over 8233 (nor with a running npm start).
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'debug', LOG_FORMAT: 'json', TEMPORAL_UI_PORT: '0' });
  const logger = createLogger(config.log, pino.destination({ dest: logFile, append: true, sync: true }));
  const infrastructure = await startInfrastructure(config, logger, { embedded: true });
  const adminUrl = infrastructure.embeddedPostgres!.adminUrl;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE_DATABASE}`);
  await admin.end();
  const templatePool = createPool({ url: adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`), size: 2, logger });
  await migrate(templatePool, logger);
  await templatePool.end();

  const workflowBundlePath = path.join(dataDir, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, (await bundleWorkflows(logger)).code);

  project.provide('temporalAddress', infrastructure.temporalAddress);
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('logFile', logFile);
  project.provide('dataDir', dataDir);

  return async () => {
    await infrastructure.stop();
    const leaks = await personalValuesInLog(dataDir, logFile);
    if (!process.env.KEEP_TEST_DATA) await rm(dataDir, { recursive: true, force: true });
    if (leaks.length) {
      // A failing teardown is only reported by vitest; the exit code is what makes the run fail.
      process.exitCode = 1;
      throw new Error(`Personal data reached the logs of this run:\n${leaks.join('\n')}`);
    }
  };
}

/**
 * Every log line of the run (the service, the worker, Temporal, PostgreSQL, the child processes)
 * searched for every personal value the tests sent.
 */
async function personalValuesInLog(dataDir: string, logFile: string): Promise<string[]> {
  const values = new Set((await readFile(path.join(dataDir, PERSONAL_VALUES_FILE), 'utf8').catch(() => '')).split('\n').filter(Boolean));
  const lines = (await readFile(logFile, 'utf8').catch(() => '')).split('\n');
  return [...values].flatMap((value) => {
    const line = lines.findIndex((l) => l.includes(value));
    return line < 0 ? [] : [`"${value}" in log line ${line + 1}: ${lines[line]!.slice(0, 300)}`];
  });
}
