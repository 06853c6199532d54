import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import { loadConfig } from '../../config/index.js';
import { temporalConnectionOptions } from '../../src/temporal/connection.js';
import { BASELINE_SCHEMA, baselineActivities } from './activities.js';

/**
 * The baseline's worker, a process of its own like the service's, so that its CPU and memory are
 * read the same way: `node --import tsx bench/baseline/worker.ts` with BENCH_TEMPORAL_ADDRESS,
 * BENCH_NAMESPACE, BENCH_TASK_QUEUE and BENCH_DATABASE_URL.
 */
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const pool = new pg.Pool({ connectionString: env('BENCH_DATABASE_URL'), max: 10 });
pool.on('error', () => undefined);
await pool.query(BASELINE_SCHEMA);
const bundle = await bundleWorkflowCode({
  workflowsPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'workflows.ts'),
  // Quiet bundling; sources import './x.js' while the files are './x.ts'.
  logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error },
  webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } } }),
});
// The service's connection settings (TLS, API key) when the bench runs against a configured Temporal.
const connection = await NativeConnection.connect(await temporalConnectionOptions(loadConfig().temporal, env('BENCH_TEMPORAL_ADDRESS')));
const worker = await Worker.create({
  connection,
  namespace: env('BENCH_NAMESPACE'),
  taskQueue: env('BENCH_TASK_QUEUE'),
  workflowBundle: bundle,
  activities: baselineActivities(pool),
});
const stop = () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
// Started with a channel by the bench: stop with it, even when it was killed.
if (process.send) {
  process.channel?.unref();
  process.once('disconnect', stop);
}
const running = worker.run();
console.log(JSON.stringify({ msg: 'baseline worker is running', pid: process.pid }));
await running;
await connection.close();
await pool.end();
