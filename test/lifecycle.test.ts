import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createWriteStream } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../config/index.js';
import { loadTemplates } from '../config/pathways/index.js';
import { freePort, isAlive } from '../src/child-process.js';
import { openPathways } from '../src/pathways/open.js';
import { createTemporalClient } from '../src/temporal/client.js';
import { createPayloadCodec } from '../src/temporal/codec.js';
import { ACTORS, ARRIVAL, stateOf } from './helpers/pathways.js';
import { person } from './helpers/people.js';
import { createPool } from '../src/db/pool.js';
import { testLogger } from './helpers/stack.js';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pathways-start-'));
const ports = { TEMPORAL_DEV_PORT: String(await freePort()), POSTGRES_DEV_PORT: String(await freePort()) };
const logger = testLogger();

interface Running {
  process: ChildProcess;
  api: string;
  exit: Promise<number | null>;
}

const started: { child: ChildProcess; exit: Promise<number | null> }[] = [];
afterAll(async () => {
  // A failed test must not leave the service (and its detached servers) running.
  for (const { child, exit } of started) {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await exit;
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `npm start`'s command and waits for its "running" line. */
async function start(): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'start'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_FORMAT: 'json', TEMPORAL_UI_PORT: '0', ...ports },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  started.push({ child, exit });
  // Every line goes to the run's log (it is searched for personal data at the end); reading never stops.
  const log = createWriteStream(inject('logFile'), { flags: 'a' });
  const ready = new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      const entry = JSON.parse(line) as { msg: string; api?: string };
      if (entry.msg.startsWith('Pathways is running')) resolve(entry.api!);
    });
  });
  const api = await Promise.race([ready, exit.then((code) => Promise.reject(new Error(`the service exited with ${code} before it was running`)))]);
  return { process: child, api, exit };
}

async function readyz(api: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${api}/readyz`);
    if (response.ok) return response.status;
    await sleep(200);
  }
  return (await fetch(`${api}/readyz`)).status;
}

/** How a tool of ours reaches the running service's servers: same data folder, so the same development key. */
function toolConfig() {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.TEMPORAL_DEV_PORT}`,
    DATABASE_URL: `postgres://pathways:PASSWORD@127.0.0.1:${ports.POSTGRES_DEV_PORT}/pathways`,
  });
}

describe('npm start', () => {
  it('runs everything, stops cleanly on Ctrl-C and keeps its data for the next start', async () => {
    const first = await start();
    expect(await readyz(first.api)).toBe(200);

    const password = encodeURIComponent((await readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim());
    const config = toolConfig();
    const codec = await createPayloadCodec(config);
    const databaseUrl = config.database.url!.replace('PASSWORD', password);
    const pool = createPool({ url: databaseUrl, size: 1, logger });
    const client = await createTemporalClient(config, config.temporal.address!, codec);
    const deps = { pool, client, config: { ...config, temporal: { ...config.temporal, taskQueue: 'pathways' } }, templates: await loadTemplates() };
    const [opened] = await openPathways(deps, ACTORS.coordinator, [
      { request: { programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: person(6, ARRIVAL) }, fieldPrefix: '' },
    ]);
    expect((await stateOf(client, opened!.id)).currentStage).toBe('quarantine');
    await pool.end();
    await client.connection.close();

    const postgresPid = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const temporalPid = Number((await readFile(path.join(dataDir, 'temporal.pid'), 'utf8')).split('\n')[0]);
    first.process.kill('SIGINT');
    expect(await first.exit).toBe(0);
    expect(isAlive(postgresPid)).toBe(false);
    expect(isAlive(temporalPid)).toBe(false);
    await expect(stat(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();

    const second = await start();
    try {
      expect(await readyz(second.api)).toBe(200);
      const again = await createTemporalClient(config, config.temporal.address!, codec);
      expect((await stateOf(again, opened!.id)).pathwayId).toBe(opened!.id);
      await again.connection.close();
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      const { rows } = await db.query('select count(*)::int as n from people where pathway_id = $1', [opened!.id]);
      await db.end();
      expect(rows[0].n).toBe(1);
    } finally {
      second.process.kill('SIGTERM');
      expect(await second.exit).toBe(0);
    }
  });
});
