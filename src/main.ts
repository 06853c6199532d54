import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, PROJECT_ROOT, type Config } from '../config/index.js';
import { unknownProgrammes } from '../config/directory.js';
import { loadTemplates } from '../config/pathways/index.js';
import { buildApp } from './api/app.js';
import { createVerifier, signDevToken } from './api/auth.js';
import { Actor } from './domain/model.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { Client, Connection } from '@temporalio/client';
import { verifyAudit } from './audit-verify.js';
import { inspectProcess } from './child-process.js';
import { temporalConnectionOptions } from './temporal/connection.js';
import { startDatabase, startInfrastructure } from './infrastructure.js';
import { createLogger, type Logger } from './logger.js';
import { findTemporalCli } from './temporal/cli.js';
import { installTemporalServer, TEMPORAL_SERVER_RELEASE } from './temporal/server-build.js';
import { createTemporalClient } from './temporal/client.js';
import { createPayloadCodec } from './temporal/codec.js';
import { installTemporalRuntime } from './temporal/logging.js';
import { startWorker, workflowBundle } from './temporal/worker.js';
import { startMailCatcher, type MailCatcher } from './notify/email/catcher.js';
import { closeMailers } from './notify/email/mailer.js';
import { startNotifier } from './notify/start.js';

const COMMANDS = {
  start: 'everything in one process: embedded servers where no address is set, the worker and the API',
  api: 'the HTTP API alone (needs TEMPORAL_ADDRESS and DATABASE_URL)',
  worker: 'the Temporal worker alone (needs TEMPORAL_ADDRESS and DATABASE_URL)',
  migrate: 'apply database migrations and exit',
  setup: 'install the Temporal CLI into .tools/bin when none is found, and exit; with --cluster also build the Temporal server',
  token: 'print a development token: npm run token -- --role staff --sub bob --org pravo [--expires 12h]',
  'audit:verify': "check every pathway's audit hash chain and list open incidents; exit 1 naming the first broken entry of each broken chain, or each incident",
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
  if (!config.organisations.some((o) => o.id === actor.data.org)) {
    throw new Error(`--org must be an organisation of the directory: ${config.organisations.map((o) => o.id).join(', ')}`);
  }
  process.stdout.write(`${await signDevToken(config, actor.data, values.expires)}\n`);
}

/** The address of the dev server a running `npm start` on the same data uses, read off its process. */
async function embeddedTemporalAddress(config: Config): Promise<string | undefined> {
  if (config.temporal.dev.port) return `127.0.0.1:${config.temporal.dev.port}`;
  const pid = Number((await readFile(path.join(config.dataDir, 'temporal.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  const info = await inspectProcess(pid);
  if (typeof info !== 'object') return undefined;
  const port = info.argv[info.argv.indexOf('--port') + 1];
  return info.argv.includes('--port') && port ? `127.0.0.1:${port}` : undefined;
}

/** A client for `audit:verify`, when Temporal answers: the configured cluster, or `npm start`'s dev server. */
async function optionalTemporalClient(config: Config, logger: Logger) {
  const address = config.temporal.address ?? (await embeddedTemporalAddress(config));
  if (!address) return undefined;
  const connection = await Connection.connect({ ...(await temporalConnectionOptions(config.temporal, address)), connectTimeout: '3s' }).catch(() => undefined);
  if (!connection) return undefined;
  logger.info({ address }, 'comparing audit chains with the workflows');
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: { payloadCodecs: [await createPayloadCodec(config)] } });
}

/** Runs the command; resolves to an exit code, or to 'running' for the long-lived ones. */
/** `npm start` without SMTP_URL outside production: e-mail goes to a catcher of its own, shown in the console. */
async function mailCatcherFor(command: Command, config: Config, logger: Logger, shutdown: Shutdown): Promise<MailCatcher | undefined> {
  if (command !== 'start' || config.email.smtpUrl || config.mode === 'production') return undefined;
  const catcher = await startMailCatcher(logger);
  shutdown.add('mail catcher', catcher.stop);
  return catcher;
}

async function run(command: Command, config: Config, logger: Logger, shutdown: Shutdown, onFatal: (error: unknown) => void): Promise<number | 'running'> {
  if (command === 'token') {
    await printToken(config);
    return 0;
  }
  if (command === 'setup') {
    const cli = await findTemporalCli({ explicitPath: config.temporal.dev.cliPath, toolsDir: path.join(PROJECT_ROOT, '.tools'), logger });
    logger.info({ cli }, 'Temporal CLI ready');
    if (process.argv.slice(3).includes('--cluster')) {
      const server = await installTemporalServer(path.join(PROJECT_ROOT, '.tools'), logger);
      logger.info(server, `Temporal server ${TEMPORAL_SERVER_RELEASE} ready`);
    }
    return 0;
  }
  if (command === 'migrate' || command === 'audit:verify') {
    const database = await startDatabase(config, logger, { embedded: true, oneOff: true });
    shutdown.add('database', database.stop);
    const pool = createPool({ url: database.url, size: 2, logger });
    shutdown.add('database pool', () => pool.end());
    if (command === 'audit:verify') {
      const client = await optionalTemporalClient(config, logger);
      if (client) shutdown.add('Temporal client', () => client.connection.close());
      return verifyAudit(pool, client, (line) => process.stdout.write(`${line}\n`));
    }
    await migrate(pool, logger);
    return 0;
  }
  const mailCatcher = await mailCatcherFor(command, config, logger, shutdown);
  shutdown.add('mailers', async () => closeMailers());
  const withCatcher = mailCatcher ? { ...config, email: { ...config.email, smtpUrl: mailCatcher.url } } : config;
  return runService(command as 'start' | 'api' | 'worker', withCatcher, mailCatcher, logger, shutdown, onFatal);
}

/** The long-lived commands: embedded servers where no address is set, the worker, the API. */
async function runService(
  command: 'start' | 'api' | 'worker',
  config: Config,
  mailCatcher: MailCatcher | undefined,
  logger: Logger,
  shutdown: Shutdown,
  onFatal: (error: unknown) => void,
): Promise<'running'> {
  const templates = await loadTemplates();
  const unknown = unknownProgrammes(config.organisations, templates.keys());
  if (unknown.length) throw new ConfigError(unknown);
  const infrastructure = await startInfrastructure(config, logger, { embedded: command === 'start' });
  shutdown.add('embedded servers', infrastructure.stop);
  const pool = createPool({ url: infrastructure.databaseUrl, size: config.database.poolSize, logger });
  shutdown.add('database pool', () => pool.end());
  await migrate(pool, logger);

  const codec = await createPayloadCodec(config);
  // One connection for the API's calls and for starting the notifier.
  const client = await createTemporalClient(config, infrastructure.temporalAddress, codec);
  shutdown.add('Temporal client', () => client.connection.close());
  if (command !== 'api') {
    const bundle = await workflowBundle(logger);
    const worker = await startWorker({ config, address: infrastructure.temporalAddress, pool, bundle, codec });
    worker.running.catch(onFatal);
    shutdown.add('worker', worker.stop);
    await startNotifier(client, config);
  }
  let apiUrl: string | undefined;
  if (command !== 'worker') {
    // The embedded Temporal UI's address once it runs (a free port is known only then): for links
    // to it, and for its codec calls from the browser (src/temporal/ui.ts).
    const uiUrl = config.temporal.uiUrl ?? infrastructure.temporalUiUrl;
    const app = await buildApp({
      config: { ...config, temporal: { ...config.temporal, uiUrl } },
      logger,
      pool,
      client,
      codec,
      templates,
      verifier: await createVerifier(config),
      mailCatcher,
    });
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
      mail: mailCatcher ? `caught by the development catcher (${mailCatcher.url}); the console shows it at #/dev/mail` : config.email.smtpUrl ? 'SMTP_URL' : undefined,
      postgres: infrastructure.embeddedPostgres ? `embedded, data in ${path.join(config.dataDir, 'pg')}` : 'external',
    },
    `Pathways ${command === 'start' ? 'is running' : `${command} is running`}; press Ctrl-C to stop`,
  );
  return 'running';
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
  // One-off commands print their result on stdout; their logs go to stderr.
  const logger = createLogger(config.log, ['start', 'api', 'worker'].includes(command) ? 1 : 2);
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
  // Started by `npm run cluster` with a channel to it: stop with it, even when it was killed.
  if (process.send) {
    process.channel?.unref();
    process.once('disconnect', () => void stop('supervisor gone', 0));
  }
  if (config.rehearsal) logger.warn({ clockScale: config.clockScale }, 'REHEARSAL is set: production rules, but template time may be compressed; never on a real deployment');
  const onFatal = (error: unknown) => {
    logger.fatal({ err: error }, error instanceof Error ? error.message : 'fatal error');
    void stop('fatal error', 1);
  };
  try {
    const outcome = await run(command, config, logger, shutdown, onFatal);
    if (outcome !== 'running') await stop('done', outcome);
  } catch (error) {
    onFatal(error);
  }
}

await main();
