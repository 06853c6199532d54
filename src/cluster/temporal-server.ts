import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../config/index.js';
import { clearLeftover, freePort, freePortIn, startManaged, waitUntilReady, writeServerRecord, type ManagedProcess } from '../child-process.js';
import type { Logger } from '../logger.js';
import type { TemporalServerBinaries } from '../temporal/server-build.js';

/** The schema job docker-compose.yml runs too. */
export const SCHEMA_SCRIPT = path.join(PROJECT_ROOT, 'deploy', 'temporal-schema.sh');
/** Dynamic configuration, the file docker-compose.yml gives the server too. */
export const DYNAMIC_CONFIG = path.join(PROJECT_ROOT, 'deploy', 'temporal-dynamic-config.yaml');
/** Temporal's persistence plugin for PostgreSQL 12 and later. */
export const SQL_PLUGIN = 'postgres12';
/** Shards of the history service: fixed when the database is first set up, the same in docker-compose.yml. */
export const HISTORY_SHARDS = 4;

export interface TemporalDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
type Ports = Record<(typeof SERVICES)[number], { grpcPort: number; membershipPort: number }> & { frontendHttp: number };

/**
 * Every port the server listens on: the frontend's as asked, the internal ones free ports, kept
 * across restarts. Membership ports are stored as smallint: they must stay below 32768.
 */
async function choosePorts(frontend: number): Promise<Ports> {
  const ports = { frontendHttp: await freePort() } as Ports;
  for (const service of SERVICES) {
    ports[service] = { grpcPort: service === 'frontend' && frontend ? frontend : await freePort(), membershipPort: await freePortIn(20_000, 32_767) };
  }
  return ports;
}

function sqlStore(database: TemporalDatabase, databaseName: string, maxConns: number) {
  return {
    sql: {
      pluginName: SQL_PLUGIN,
      databaseName,
      connectAddr: `${database.host}:${database.port}`,
      connectProtocol: 'tcp',
      user: database.user,
      password: database.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/** The server's configuration, after the release's development-postgres12.yaml, on 127.0.0.1 only. */
function serverConfig(database: TemporalDatabase, ports: Ports) {
  const services = Object.fromEntries(
    SERVICES.map((service) => [
      service,
      { rpc: { ...ports[service], bindOnLocalHost: true, ...(service === 'frontend' ? { httpPort: ports.frontendHttp } : {}) } },
    ]),
  );
  const frontend = `127.0.0.1:${ports.frontend.grpcPort}`;
  return {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': sqlStore(database, 'temporal', 20),
        'postgres-visibility': sqlStore(database, 'temporal_visibility', 4),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontend } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: DYNAMIC_CONFIG, pollInterval: '60s' },
  };
}

/** Creates Temporal's databases and applies its schemas with the schema tool; idempotent. */
export async function applyTemporalSchema(binaries: TemporalServerBinaries, database: TemporalDatabase, logger: Logger): Promise<void> {
  const env = {
    PATH: process.env.PATH,
    TEMPORAL_SQL_TOOL: binaries.sqlTool,
    SQL_PLUGIN,
    SQL_HOST: database.host,
    SQL_PORT: String(database.port),
    SQL_USER: database.user,
    SQL_PASSWORD: database.password,
  };
  try {
    await promisify(execFile)('sh', [SCHEMA_SCRIPT], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`The Temporal schema job failed:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n')}`);
  }
  logger.info('Temporal schemas are up to date');
}

async function frontendAnswers(address: string) {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' });
    await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
  } finally {
    await connection.close();
  }
}

/** The Temporal server of the cluster: started, killed and started again on the same database and ports. */
export class TemporalServer {
  private process?: ManagedProcess;
  private constructor(
    private readonly root: string,
    private readonly binary: string,
    readonly address: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Writes the configuration into `root` (the cluster's data folder, never the module cache). */
  static async prepare(options: { root: string; binaries: TemporalServerBinaries; database: TemporalDatabase; port: number; log: (line: string) => void }) {
    const ports = await choosePorts(options.port);
    await mkdir(path.join(options.root, 'config'), { recursive: true, mode: 0o700 });
    // JSON is YAML: the server reads this file as its configuration for --env cluster.
    await writeFile(path.join(options.root, 'config', 'cluster.yaml'), JSON.stringify(serverConfig(options.database, ports), null, 2), { mode: 0o600 });
    return new TemporalServer(options.root, options.binaries.server, `127.0.0.1:${ports.frontend.grpcPort}`, options.log);
  }

  /** Where the server of the cluster on `dataDir` keeps its configuration and pid record. */
  static rootIn(dataDir: string): string {
    return path.join(dataDir, 'temporal');
  }

  static recordFileIn(root: string): string {
    return path.join(root, 'temporal-server.pid');
  }

  get pid(): number | undefined {
    return this.process && !this.process.exited() ? this.process.child.pid : undefined;
  }

  private get recordFile() {
    return TemporalServer.recordFileIn(this.root);
  }

  async start(logger: Logger): Promise<void> {
    await clearLeftover({ name: 'Temporal server', recordFile: this.recordFile, binary: this.binary, dataArg: this.root, signal: 'SIGTERM', logger });
    const args = ['--root', this.root, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'];
    this.process = startManaged(this.binary, args, { cwd: this.root }, this.log);
    if (this.process.child.pid) await writeServerRecord(this.recordFile, this.process.child.pid, this.binary);
    await waitUntilReady('The Temporal server', this.process, () => frontendAnswers(this.address), 120_000);
  }

  /** SIGTERM stops it cleanly; SIGKILL is a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.process?.stop(signal, 20_000);
    await rm(this.recordFile, { force: true });
  }
}
