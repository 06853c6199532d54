import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, PROJECT_ROOT } from '../config/index.js';
import { loadTemplates } from '../config/pathways/index.js';
import { buildApp } from '../src/api/app.js';
import { createVerifier } from '../src/api/auth.js';
import { migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { startInfrastructure } from '../src/infrastructure.js';
import { createLogger } from '../src/logger.js';
import { createTemporalClient } from '../src/temporal/client.js';
import { createPayloadCodec } from '../src/temporal/codec.js';
import { temporalConnectionOptions } from '../src/temporal/connection.js';
import { installTemporalRuntime } from '../src/temporal/logging.js';
import { BENCH_ORGANISATIONS, BenchApi } from './lib/api.js';
import { FULL, QUICK, type Bench } from './lib/context.js';
import { LogTally } from './lib/log-tally.js';
import { machine, resultsFile } from './lib/machine.js';
import { caseloadRows, compareRows, exportRows, formatTable, growthRows, scaleRows, searchRows, type Row } from './lib/report.js';
import { progress } from './lib/stats.js';
import { startBaselineWorker, startServiceWorker, type WorkerTargets } from './lib/workers.js';
import { caseloadPhase } from './phases/caseload.js';
import { compareRounds, warmUp } from './phases/compare.js';
import { growthPhase } from './phases/growth.js';
import { scalePhase } from './phases/scale.js';
import { searchPhase } from './phases/search.js';
import { exportPhase } from './phases/export.js';

const PHASES = ['compare', 'caseload', 'growth', 'scale', 'search', 'export'] as const;
/** 10,000 pathways, and closing all of Table 1, take longer than the rest together: asked for by name. */
const DEFAULT_PHASES = ['compare', 'growth', 'search', 'export'];
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    phases: { type: 'string', default: DEFAULT_PHASES.join(',') },
    'clock-scale': { type: 'string' },
    'caseload-share': { type: 'string' },
  },
});
const phases = new Set(args.phases!.split(','));
const sizes = {
  ...(args.quick ? QUICK : FULL),
  ...(args['clock-scale'] ? { clockScale: Number(args['clock-scale']) } : {}),
  ...(args['caseload-share'] ? { caseloadFactor: Number(args['caseload-share']) } : {}),
};
const usable = sizes.clockScale >= 1 && sizes.clockScale <= 10_000_000 && sizes.caseloadFactor > 0 && sizes.caseloadFactor <= 1;
if (!usable || [...phases].some((p) => !PHASES.includes(p as never))) {
  process.stderr.write(`Usage: npm run bench -- [--quick] [--phases ${PHASES.join(',')}] [--clock-scale 1..10000000] [--caseload-share 0..1]\n`);
  process.exit(2);
}

/** Everything started, stopped in reverse order: at the end, on a failure and on Ctrl-C. */
const stops: { name: string; stop: () => Promise<unknown> }[] = [];
let stopping: Promise<void> | undefined;
let interrupted = false;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const { name, stop } of stops.reverse()) {
      await stop().catch((error) => progress(`could not stop ${name}: ${String(error)}`));
    }
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    progress(`${signal}: stopping everything the bench started`);
    void stopAll().then(() => process.exit(130));
  });
}
// Whatever is in flight when the clients close fails; after a Ctrl-C that is expected, and nothing else may stop the stopping.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    if (interrupted) return;
    interrupted = true;
    progress(`unexpected failure: ${error instanceof Error ? error.stack : String(error)}`);
    void stopAll().then(() => process.exit(1));
  });
}

async function readPid(file: string): Promise<number | undefined> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).split('\n')[0]);
  return pid > 0 ? pid : undefined;
}

function pidFromEnv(name: string): number | undefined {
  const pid = Number(process.env[name]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The directory the bench's organisations are in: the development one, and one per phase. */
async function benchDirectory(dataDir: string): Promise<string> {
  const development = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'config', 'organisations.json'), 'utf8'));
  const phases = BENCH_ORGANISATIONS.map((id) => ({ id, kind: 'ministry', names: { en: id }, programmes: ['KZ', 'UZ', 'KG', 'TJ'] }));
  const file = path.join(dataDir, 'organisations.json');
  await writeFile(file, JSON.stringify({ organisations: [...development.organisations, ...phases] }));
  return file;
}

async function main() {
  const startedAt = new Date();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pathways-bench-'));
  stops.push({ name: 'the data folder', stop: () => rm(dataDir, { recursive: true, force: true }) });
  // Each phase acts as an organisation of its own (its worklists hold its pathways only): the
  // development directory and those, for the API here and the service worker it starts.
  process.env.ORGANISATIONS_FILE = await benchDirectory(dataDir);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', PORT: '0' };
  // The bench is one client of many people: no per-caller rate limit in the way.
  Object.assign(env, { RATE_LIMIT_PER_MINUTE: '100000', TEMPORAL_TASK_QUEUE: process.env.TEMPORAL_TASK_QUEUE ?? 'bench-pathways' });
  delete env.PATHWAY_CLOCK_SCALE;
  // The embedded UI on a free port, beside a running npm start (8233).
  if (!env.TEMPORAL_ADDRESS) env.TEMPORAL_UI_PORT ??= '0';
  const config = loadConfig(env);
  // Counted, not printed: the progress lines stay readable; the results keep the first ones.
  const logs = new LogTally();
  const logger = createLogger(config.log, logs);
  installTemporalRuntime(logger);

  progress(`starting ${config.temporal.address ? 'on the configured Temporal' : 'a Temporal dev server'} and ${config.database.url ? 'the configured PostgreSQL' : 'an embedded PostgreSQL'}`);
  const infrastructure = await startInfrastructure(config, logger, { embedded: true });
  stops.push({ name: 'the embedded servers', stop: () => infrastructure.stop() });
  const pool = createPool({ url: infrastructure.databaseUrl, size: config.database.poolSize, logger });
  stops.push({ name: 'the database pool', stop: () => pool.end() });
  await migrate(pool, logger);
  // Development payload keys are made here, before the service's worker reads them from the data folder.
  const codec = await createPayloadCodec(config);

  progress('starting the service worker and the baseline worker, each its own process');
  const targets: WorkerTargets = {
    temporalAddress: infrastructure.temporalAddress,
    namespace: config.temporal.namespace,
    databaseUrl: infrastructure.databaseUrl,
    dataDir,
    ownTemporal: !config.temporal.address,
  };
  const baselineTaskQueue = 'bench-baseline';
  const track = (name: string, stop: () => Promise<void>) => stops.push({ name, stop });
  const [serviceWorker, baselineWorker] = await Promise.all([
    startServiceWorker(targets, config.temporal.taskQueue, track),
    startBaselineWorker(targets, baselineTaskQueue, track),
  ]);

  const client = await createTemporalClient(config, infrastructure.temporalAddress, codec);
  stops.push({ name: 'the Temporal client', stop: () => client.connection.close() });
  const bareConnection = await Connection.connect(await temporalConnectionOptions(config.temporal, infrastructure.temporalAddress));
  stops.push({ name: 'the bare client', stop: () => bareConnection.close() });
  const bare = new Client({ connection: bareConnection, namespace: config.temporal.namespace });

  const deps = { logger, pool, client, codec, templates: await loadTemplates(), verifier: await createVerifier(config) };
  const app = await buildApp({ ...deps, config });
  stops.push({ name: 'the API', stop: () => app.close() });
  const fastConfig = { ...config, clockScale: sizes.clockScale };
  const fastApp = await buildApp({ ...deps, config: fastConfig });
  stops.push({ name: 'the API with a compressed clock', stop: () => fastApp.close() });

  const bench: Bench = {
    sizes,
    pool,
    api: new BenchApi(app, config),
    fastApi: new BenchApi(fastApp, fastConfig),
    bare,
    baselineTaskQueue,
    serviceWorker,
    baselineWorker,
    // CPU of the servers is ours to read when the bench started them, or when told their pids (the production shape).
    temporalPid: config.temporal.address ? pidFromEnv('BENCH_TEMPORAL_PID') : await readPid(path.join(dataDir, 'temporal.pid')),
    postgresPid: config.database.url ? pidFromEnv('BENCH_POSTGRES_PID') : await readPid(path.join(dataDir, 'pg', 'postmaster.pid')),
    today: new Date().toISOString().slice(0, 10),
  };

  const servers = { temporal: config.temporal.address ?? 'dev server', postgres: config.database.url ? 'configured' : 'embedded' };
  const results: Record<string, unknown> = { quick: args.quick, sizes, machine: await machine(startedAt), servers };
  const rows: Row[] = [];
  const run = async <T>(name: string, work: () => Promise<T>, toRows: (figures: T) => Row[]) => {
    if (!phases.has(name) || interrupted) return;
    try {
      const figures = await work();
      results[name] = figures;
      rows.push(...toRows(figures));
    } catch (error) {
      if (interrupted) return;
      progress(`${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      results[name] = { error: String(error) };
    }
  };
  await run(
    'compare',
    async () => {
      progress(`comparison: ${sizes.rounds} alternating rounds of ${sizes.open} opens, reads and actions (${sizes.clients} clients), and a cohort of ${sizes.cohort}`);
      await warmUp(bench);
      return compareRounds(bench);
    },
    (c) => compareRows(c.service, c.baseline),
  );
  await run('caseload', () => caseloadPhase(bench), caseloadRows);
  await run('growth', () => growthPhase(bench), growthRows);
  await run('scale', () => scalePhase(bench), scaleRows);
  // Last: its 100,000 people are written straight into PostgreSQL, beside nothing else measured.
  await run('search', () => searchPhase(bench), searchRows);
  // After search: its own 100,000 pathways, exported through a socket.
  await run('export', () => exportPhase(bench), exportRows);

  // An interrupted run leaves the last complete results as they were.
  if (interrupted) return;
  results.logs = { api: logs, serviceWorker: serviceWorker.problems, baselineWorker: baselineWorker.problems };
  if (logs.counts.error) progress(`the API logged ${logs.counts.error} errors (503s the clients retried are among them); the first are in the results`);
  for (const w of [serviceWorker, baselineWorker]) {
    for (const [msg, n] of Object.entries(w.problems)) progress(`${w.name} logged ${n}x ${msg}`);
  }
  results.finishedAt = new Date().toISOString();
  results.wallSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  const table = formatTable(rows);
  results.summary = rows;
  results.table = table;
  process.stdout.write(`\n${table}\n`);
  const chosen = PHASES.filter((p) => phases.has(p));
  const file = resultsFile(startedAt, args.quick!, chosen.join(',') === DEFAULT_PHASES.join(',') ? '' : chosen.join('+'), config.temporal.address !== undefined);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  progress(`done in ${results.wallSeconds} s; figures in ${path.relative(PROJECT_ROOT, file)}`);
}

try {
  await main();
} catch (error) {
  // After a Ctrl-C, what fails is only what was being stopped.
  if (!interrupted) progress(`the bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
