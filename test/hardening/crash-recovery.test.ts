import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { freePort, inspectProcess } from '../../src/child-process.js';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pathways-crash-'));
// Fixed ports: a restart can only bind them once the leftover servers are really gone.
const ports = { TEMPORAL_DEV_PORT: String(await freePort()), POSTGRES_DEV_PORT: String(await freePort()) };

interface Run {
  child: ChildProcess;
  exit: Promise<number | null>;
  /** Every log line so far, parsed. */
  lines: { msg: string; [field: string]: unknown }[];
}

const runs: Run[] = [];
const spawned: ChildProcess[] = [];
/** Servers our runs started, so that a failed test can still stop them (their groups, as they lead one). */
const servers = new Set<number>();

afterAll(async () => {
  for (const { child, exit } of runs) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await exit;
    }
  }
  for (const pid of servers) {
    const info = await inspectProcess(pid);
    if (typeof info === 'object' && info.argv.some((arg) => arg.startsWith(dataDir))) process.kill(-pid, 'SIGKILL');
  }
  for (const child of spawned) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `npm start`'s command on the test's data folder; `running` settles on its "running" line or its exit. */
function start(): Run & { running: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'start'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_FORMAT: 'json', TEMPORAL_UI_PORT: '0', ...ports },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close', not 'exit': by then every line it printed has been read.
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  const run: Run = { child, exit, lines: [] };
  runs.push(run);
  // Every line goes to the run's log, which is searched for personal data at the end.
  const log = createWriteStream(inject('logFile'), { flags: 'a' });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  const running = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      const entry = JSON.parse(line) as Run['lines'][number];
      run.lines.push(entry);
      if (entry.msg.startsWith('Pathways is running')) resolve(entry.api as string);
    });
    void exit.then((code) => reject(new Error(`the service exited with ${code} before it was running`)));
  });
  running.catch(() => {});
  return { ...run, running };
}

async function readyz(api: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${api}/readyz`);
    if (response.ok) return response.status;
    await sleep(200);
  }
  return (await fetch(`${api}/readyz`)).status;
}

async function pidIn(file: string): Promise<number> {
  const pid = Number((await readFile(path.join(dataDir, file), 'utf8')).split('\n')[0]);
  servers.add(pid);
  return pid;
}

const alive = async (pid: number) => (await inspectProcess(pid)) !== 'gone';

async function stopCleanly(run: Run) {
  run.child.kill('SIGINT');
  expect(await run.exit).toBe(0);
}

describe('npm start after a crash', () => {
  it('stops the servers a killed run left behind, starts again, and never touches a live run’s servers', { timeout: 300_000 }, async () => {
    const first = start();
    expect(await readyz(await first.running)).toBe(200);
    const temporal = await pidIn('temporal.pid');
    const postgres = await pidIn('postgres.pid');

    // SIGKILL of the node process alone, as a crash: its detached servers keep running.
    first.child.kill('SIGKILL');
    await first.exit;
    expect(await alive(temporal)).toBe(true);
    expect(await alive(postgres)).toBe(true);

    const second = start();
    expect(await readyz(await second.running)).toBe(200);
    const messages = second.lines.map((line) => line.msg);
    expect(messages).toContain(`stopped the Temporal dev server (pid ${temporal}) that a crashed Pathways process left running; starting a new one`);
    expect(messages).toContain(`stopped the embedded PostgreSQL (pid ${postgres}) that a crashed Pathways process left running; starting a new one`);
    expect(await alive(temporal)).toBe(false);
    expect(await alive(postgres)).toBe(false);
    const [newTemporal, newPostgres] = [await pidIn('temporal.pid'), await pidIn('postgres.pid')];

    // A second run beside a live one refuses, and leaves the live one's servers alone.
    const third = start();
    await expect(third.running).rejects.toThrow('exited with 1');
    expect(third.lines.map((line) => line.msg).join('\n')).toMatch(/belongs to Pathways process \d+, which is still running/);
    expect(await alive(newTemporal)).toBe(true);
    expect(await alive(newPostgres)).toBe(true);
    expect(await readyz(await second.running)).toBe(200);

    await stopCleanly(second);
    expect(await alive(newTemporal)).toBe(false);
    expect(await alive(newPostgres)).toBe(false);
    for (const file of ['temporal.pid', 'postgres.pid', 'pg/postmaster.pid']) {
      await expect(stat(path.join(dataDir, file))).rejects.toThrow();
    }
  });

  it('removes pid files that name some other program, and leaves that program running', { timeout: 180_000 }, async () => {
    const other = spawn('sleep', ['120'], { stdio: 'ignore' });
    spawned.push(other);
    const pid = other.pid!;
    const info = await inspectProcess(pid);
    if (typeof info !== 'object') throw new Error('no /proc to read');
    // On the data folder the first test initialised. Even with its real start time, the command line gives the other program away.
    await writeFile(path.join(dataDir, 'temporal.pid'), `${pid}\n${info.startTicks}\n${info.argv[0]}\n`);
    await writeFile(path.join(dataDir, 'postgres.pid'), `${pid}\n`);
    await writeFile(path.join(dataDir, 'pg', 'postmaster.pid'), `${pid}\n${path.join(dataDir, 'pg')}\n0\n${ports.POSTGRES_DEV_PORT}\n`);

    const run = start();
    expect(await readyz(await run.running)).toBe(200);
    const stale = run.lines.filter((line) => /^removed a stale .* pid file/.test(line.msg));
    expect(stale.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        `removed a stale Temporal dev server pid file: process ${pid} is not our server; it was left alone`,
        `removed a stale embedded PostgreSQL pid file: process ${pid} is not our server; it was left alone`,
        `removed a stale PostgreSQL pid file: process ${pid} is not our server; it was left alone`,
      ]),
    );
    expect(run.lines.some((line) => line.msg.startsWith('stopped the'))).toBe(false);
    expect(await alive(pid)).toBe(true);

    await pidIn('temporal.pid');
    await pidIn('postgres.pid');
    await stopCleanly(run);
    expect(await alive(pid)).toBe(true);
  });
});
