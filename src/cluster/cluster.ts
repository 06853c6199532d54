import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PROJECT_ROOT } from '../../config/index.js';
import { clearLeftover, freePort } from '../child-process.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres.js';
import type { Actor } from '../domain/model.js';
import type { Logger } from '../logger.js';
import { PREBUILT_BUNDLE_NAME } from '../temporal/worker.js';
import { findTemporalServer } from '../temporal/server-build.js';
import { signToken, startIdentityProvider, type IdentityProvider } from './identity-provider.js';
import { postgresPids, signalAll } from './postgres-processes.js';
import { pollingWorkers } from './readiness.js';
import { ServiceProcess } from './service-process.js';
import { NAMESPACE, serviceSettings, TASK_QUEUE } from './shape.js';
import { startMailCatcher, type MailCatcher } from '../notify/email/catcher.js';
import { applyTemporalSchema, TemporalServer, type TemporalDatabase } from './temporal-server.js';

export interface ClusterOptions {
  /** Everything the cluster keeps: PostgreSQL's data, keys, certificates, logs. */
  dataDir: string;
  /** The build the service runs (`npm run build`). */
  distDir: string;
  /** Where `npm run setup -- --cluster` put the Temporal server. */
  toolsDir: string;
  /** 0: a free port. */
  ports: { api: number; temporal: number; postgres: number; idp: number };
  workers: number;
  /** 1 is production time; anything else makes the cluster a rehearsal (REHEARSAL=true). */
  clockScale: number;
  rateLimitPerMinute?: number;
  logger: Logger;
}

const TEMPORAL_ROLE = 'temporal';

async function secretFile(file: string, make: () => string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const value = make();
  await writeFile(file, value, { mode: 0o600 });
  return value;
}

/** Temporal's own login, as a separate role from the service's, allowed to create its databases. */
async function ensureTemporalRole(adminUrl: string, password: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [TEMPORAL_ROLE]);
    const verb = rowCount ? 'alter' : 'create';
    await client.query(`${verb} role ${TEMPORAL_ROLE} login createdb password ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
}

/**
 * As root, PostgreSQL runs as the postgres user, which must pass through the folders above its
 * data: those inside the project (`.data/`) are opened for passing, as `npm start` does for its own.
 */
async function openForPassing(dataDir: string) {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(dataDir); dir.startsWith(`${PROJECT_ROOT}${path.sep}`); dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o777) | 0o011);
  }
}

async function requireBuild(distDir: string) {
  for (const file of [path.join(distDir, 'src', 'main.js'), path.join(distDir, PREBUILT_BUNDLE_NAME)]) {
    await access(file).catch(() => {
      throw new Error(`${file} is missing: build the service first with npm run build.`);
    });
  }
}

/**
 * Stops the servers a killed cluster left running on `dataDir` (from their pid records, only when
 * verifiably its own), so that the folder can be reused or removed.
 */
export async function stopLeftovers(dataDir: string, logger: Logger): Promise<void> {
  const root = TemporalServer.rootIn(dataDir);
  await clearLeftover({ name: 'Temporal server', recordFile: TemporalServer.recordFileIn(root), binary: '', dataArg: root, signal: 'SIGTERM', logger });
  const pgdata = path.join(dataDir, 'pg');
  await clearLeftover({ name: 'embedded PostgreSQL', recordFile: path.join(dataDir, 'postgres.pid'), binary: '', dataArg: pgdata, signal: 'SIGINT', logger });
}

/**
 * The production shape on one machine: PostgreSQL, a Temporal server on it, an identity provider
 * serving its keys over HTTPS, the API and the workers, each service process on its own.
 */
export class Cluster {
  api!: ServiceProcess;
  workers: ServiceProcess[] = [];
  temporal!: TemporalServer;
  private postgres?: EmbeddedPostgres;
  private idp?: IdentityProvider;
  /** The rehearsal's SMTP server: production needs one; mail stays on this machine. */
  mail?: MailCatcher;
  private serviceBase: NodeJS.ProcessEnv = {};
  apiUrl = '';

  private constructor(readonly options: ClusterOptions) {}

  get logsDir() {
    return path.join(this.options.dataDir, 'logs');
  }

  get databaseUrl() {
    return this.postgres!.url;
  }

  get idpDir() {
    return path.join(this.options.dataDir, 'idp');
  }

  /** A cluster to boot; `stop()` may be called at any time, also while it boots. */
  static create(options: ClusterOptions): Cluster {
    return new Cluster(options);
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const cluster = new Cluster(options);
    try {
      await cluster.boot();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  private stopping = false;

  /** Between two steps of booting: a stop asked for meanwhile ends it, so nothing more starts. */
  private halt() {
    if (this.stopping) throw new Error('The cluster was stopped while it started.');
  }

  /** Starts everything; on failure, call `stop()` for what was started. */
  async boot() {
    const { dataDir, logger } = this.options;
    const binaries = await findTemporalServer(this.options.toolsDir);
    await requireBuild(this.options.distDir);
    await mkdir(this.logsDir, { recursive: true, mode: 0o700 });
    await openForPassing(dataDir);

    this.postgres = await startEmbeddedPostgres({ dataDir, port: this.options.ports.postgres, logger: logger.child({ component: 'postgres' }) });
    this.halt();
    const pgPort = Number(new URL(this.postgres.url).port);
    const temporalPassword = await secretFile(path.join(dataDir, 'temporal-db-password'), () => randomBytes(24).toString('base64url'));
    await ensureTemporalRole(this.postgres.adminUrl, temporalPassword);
    const database: TemporalDatabase = { host: '127.0.0.1', port: pgPort, user: TEMPORAL_ROLE, password: temporalPassword };
    await applyTemporalSchema(binaries, database, logger);
    this.halt();

    this.idp = await startIdentityProvider({ dir: this.idpDir, port: this.options.ports.idp });
    this.mail = await startMailCatcher(logger.child({ component: 'mail' }));
    const temporalLog = createWriteStream(path.join(this.logsDir, 'temporal.log'), { flags: 'a' });
    this.temporal = await TemporalServer.prepare({
      root: TemporalServer.rootIn(dataDir),
      binaries,
      database,
      port: this.options.ports.temporal,
      log: (line) => temporalLog.write(`${line}\n`),
    });
    await this.temporal.start(logger);
    this.halt();
    // The namespace and its search attributes are the service's to create, as under compose.

    const apiPort = this.options.ports.api || (await freePort());
    this.serviceBase = await this.serviceEnvironment(apiPort);
    this.api = this.service('api', 'api');
    this.workers = Array.from({ length: this.options.workers }, (_, i) => this.service(`worker-${i + 1}`, 'worker'));
    await Promise.all([this.api, ...this.workers].map((p) => p.start()));
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    await this.waitUntilReady();
  }

  private async serviceEnvironment(apiPort: number): Promise<NodeJS.ProcessEnv> {
    const payloadKey = await secretFile(path.join(this.options.dataDir, 'payload-key'), () => randomBytes(32).toString('base64'));
    return serviceSettings({
      apiPort,
      temporalAddress: this.temporal.address,
      databaseUrl: this.postgres!.url,
      jwksUrl: this.idp!.jwksUrl,
      smtpUrl: this.mail!.url,
      caFile: this.idp!.caFile,
      payloadKey,
      clockScale: this.options.clockScale,
      rateLimitPerMinute: this.options.rateLimitPerMinute,
    });
  }

  /** The environment a service process of this cluster runs with. */
  serviceEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...this.serviceBase, ...extra };
  }

  private service(name: string, role: 'api' | 'worker', extra: NodeJS.ProcessEnv = {}, distDir = this.options.distDir) {
    return new ServiceProcess({ name, role, distDir, env: this.serviceEnv(extra), logFile: path.join(this.logsDir, `${name}.log`) });
  }

  /** A new worker process, from another build if given (a rolling deployment). */
  async addWorker(name: string, distDir?: string): Promise<ServiceProcess> {
    const worker = this.service(name, 'worker', {}, distDir);
    this.workers.push(worker);
    await worker.start();
    return worker;
  }

  /** A token from the cluster's identity provider. */
  token(actor: Actor, expiresIn?: string): Promise<string> {
    return signToken(this.idpDir, actor, expiresIn);
  }

  /** Answers once /readyz says ready and every running worker polls the task queue. */
  async waitUntilReady(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      for (const p of [this.api, ...this.workers]) {
        if (p.failed) throw new Error(`${p.spec.name} exited; see ${p.spec.logFile}`);
      }
      const ready = await fetch(`${this.apiUrl}/readyz`).then((r) => r.status, (e: Error) => e.message);
      const expected = this.workers.filter((w) => w.running).map((w) => w.pid!);
      const polling = ready === 200 ? await pollingWorkers(this.temporal.address, NAMESPACE, TASK_QUEUE, expected) : [];
      if (ready === 200 && polling.length === expected.length) return;
      last = `readyz ${ready}, workers polling ${polling.length} of ${expected.length}`;
      await sleep(500);
    }
    throw new Error(`The cluster did not become ready in ${timeoutMs / 1000}s (${last}); see the logs in ${this.logsDir}`);
  }

  /** PostgreSQL's postmaster and every backend: all of them must stop for the server to be frozen. */
  async postgresPids(): Promise<number[]> {
    return postgresPids(path.join(this.options.dataDir, 'pg'));
  }

  async freezePostgres(): Promise<void> {
    signalAll(await this.postgresPids(), 'SIGSTOP');
  }

  async thawPostgres(): Promise<void> {
    signalAll(await this.postgresPids(), 'SIGCONT');
  }

  /** Stops everything, the API first and PostgreSQL last; safe to call on a half-started cluster. */
  async stop(): Promise<void> {
    this.stopping = true;
    const { logger } = this.options;
    const step = async (name: string, work: () => Promise<unknown> | undefined) => {
      try {
        await work();
      } catch (error) {
        logger.error({ err: error, step: name }, 'failed to stop cleanly');
      }
    };
    await step('thaw PostgreSQL', () => (this.postgres ? this.thawPostgres() : undefined));
    await step('api', () => this.api?.stop());
    await step('workers', () => Promise.all(this.workers.map((w) => w.stop())));
    await step('temporal', () => this.temporal?.stop());
    await step('identity provider', () => this.idp?.stop());
    await step('mail catcher', () => this.mail?.stop());
    await step('postgres', () => this.postgres?.stop());
  }
}
