import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, PROJECT_ROOT, type Config } from '../config/index.js';
import { loadTemplates } from '../config/pathways/index.js';
import { buildApp } from './api/app.js';
import { createVerifier, signDevToken } from './api/auth.js';
import { Actor } from './domain/model.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { startInfrastructure } from './infrastructure.js';
import { createLogger, type Logger } from './logger.js';
import { findTemporalCli } from './temporal/cli.js';
import { createTemporalClient } from './temporal/client.js';
import { installTemporalRuntime } from './temporal/logging.js';
import { bundleWorkflows, startWorker } from './temporal/worker.js';

const COMMANDS = {
  start: 'everything in one process: embedded servers where no address is set, the worker and the API',
  api: 'the HTTP API alone (needs TEMPORAL_ADDRESS and DATABASE_URL)',
  worker: 'the Temporal worker alone (needs TEMPORAL_ADDRESS and DATABASE_URL)',
  migrate: 'apply database migrations and exit',
  setup: 'install the Temporal CLI into .tools/bin when none is found, and exit',
  token: 'print a development token: npm run token -- --role staff --sub bob --org pravo [--expires 12h]',
} as const;
type Command = keyof typeof COMMANDS;

/** What the process must stop on the way out, in reverse order of starting. */
class Shutdown {
  private readonly steps: { name: string; stop: () => Promise<unknown> }[] = [];
  constructor(private readonly logger: Logger) {}

  add(name: string, stop: () => Promise<unknown>) {
    this.steps.push({ name, stop });
  }

  async run() {
    for (const { name, stop } of this.steps.reverse()) {
      try {
        await stop();
        this.logger.debug({ step: name }, 'stopped');
      } catch (error) {
        this.logger.error({ err: error, step: name }, 'failed to stop cleanly');
      }
    }
  }
}

/** `npm run token -- --role staff --sub bob --org pravo`: a signed development token on stdout. */
async function printToken(config: Config) {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: { role: { type: 'string' }, sub: { type: 'string' }, org: { type: 'string' }, expires: { type: 'string', default: '12h' } },
  });
  const actor = Actor.safeParse({ id: values.sub, role: values.role, org: values.org });
  if (!actor.success) {
    throw new Error('Usage: npm run token -- --role coordinator|staff|supervisor --sub <actor id> --org <organisation> [--expires 12h]');
  }
  process.stdout.write(`${await signDevToken(config, actor.data, values.expires)}\n`);
}

async function run(command: Command, config: Config, logger: Logger, shutdown: Shutdown, onFatal: (error: unknown) => void) {
  if (command === 'token') {
    await printToken(config);
    return false;
  }
  if (command === 'setup') {
    const cli = await findTemporalCli({ explicitPath: config.temporal.dev.cliPath, toolsDir: path.join(PROJECT_ROOT, '.tools'), logger });
    logger.info({ cli }, 'Temporal CLI ready');
    return false;
  }
  const infrastructure = await startInfrastructure(config, logger, { embedded: command === 'start' || command === 'migrate' });
  shutdown.add('embedded servers', infrastructure.stop);
  const pool = createPool({ url: infrastructure.databaseUrl, size: config.database.poolSize, logger });
  shutdown.add('database pool', () => pool.end());
  await migrate(pool, logger);
  if (command === 'migrate') return false;

  if (command !== 'api') {
    const worker = await startWorker({ config, address: infrastructure.temporalAddress, pool, bundle: await bundleWorkflows(logger) });
    worker.running.catch(onFatal);
    shutdown.add('worker', worker.stop);
  }
  let apiUrl: string | undefined;
  if (command !== 'worker') {
    const client = await createTemporalClient(config, infrastructure.temporalAddress);
    shutdown.add('Temporal client', () => client.connection.close());
    const app = await buildApp({ config, logger, pool, client, templates: await loadTemplates(), verifier: await createVerifier(config) });
    await app.listen({ host: config.http.host, port: config.http.port });
    shutdown.add('API', () => app.close());
    const { address, port } = app.server.address() as AddressInfo;
    apiUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }
  logger.info(
    {
      api: apiUrl,
      apiDocs: apiUrl && `${apiUrl}/docs`,
      temporalUi: infrastructure.temporalUiUrl && `${infrastructure.temporalUiUrl}/namespaces/${config.temporal.namespace}/workflows`,
      temporal: `${infrastructure.temporalAddress} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`,
      postgres: infrastructure.embeddedPostgres ? `embedded, data in ${path.join(config.dataDir, 'pg')}` : 'external',
    },
    `Pathways ${command === 'start' ? 'is running' : `${command} is running`}; press Ctrl-C to stop`,
  );
  return true;
}

async function main() {
  const command = (process.argv[2] ?? 'start') as Command;
  if (!(command in COMMANDS)) {
    const usage = Object.entries(COMMANDS).map(([name, what]) => `  ${name.padEnd(8)} ${what}`);
    process.stderr.write(`Unknown command "${command}". Commands:\n${usage.join('\n')}\n`);
    process.exit(2);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.log);
  installTemporalRuntime(logger);
  const shutdown = new Shutdown(logger);
  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await shutdown.run();
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => (stopping ? process.exit(1) : void stop(signal, 0)));
  }
  const onFatal = (error: unknown) => {
    logger.fatal({ err: error }, error instanceof Error ? error.message : 'fatal error');
    void stop('fatal error', 1);
  };
  try {
    const keepsRunning = await run(command, config, logger, shutdown, onFatal);
    if (!keepsRunning) await stop('done', 0);
  } catch (error) {
    onFatal(error);
  }
}

await main();
