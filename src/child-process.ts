import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.js';

/** A server process the service started and must stop before it exits. */
export interface ManagedProcess {
  readonly child: ChildProcess;
  /** The last lines the process printed, to explain a failure. */
  tail(): string;
  exited(): boolean;
  /** Sends `signal`, waits up to `graceMs`, then kills. */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<void>;
}

/**
 * Starts a server in its own process group, so a Ctrl-C in the terminal reaches only our
 * process, which then stops its servers in order.
 */
export function startManaged(
  command: string,
  args: string[],
  options: SpawnOptions,
  onLine: (line: string) => void,
): ManagedProcess {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let exitedFlag = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exitedFlag = true;
      resolve();
    });
    child.once('error', (error) => {
      lines.push(String(error));
      exitedFlag = true;
      resolve();
    });
  });
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
      onLine(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    child,
    tail: () => lines.join('\n'),
    exited: () => exitedFlag,
    async stop(signal, graceMs) {
      if (exitedFlag) return;
      child.kill(signal);
      const stopped = await Promise.race([exit.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
}

/** Polls `check` until it succeeds; fails early when the process dies or after `timeoutMs`. */
export async function waitUntilReady(
  name: string,
  server: ManagedProcess,
  check: () => Promise<void>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (server.exited()) throw new Error(`${name} exited during start-up. Its last output:\n${server.tail()}`);
    try {
      await check();
      return;
    } catch (error) {
      lastError = error;
      await sleep(200);
    }
  }
  await server.stop('SIGKILL', 1000);
  throw new Error(`${name} did not become ready within ${timeoutMs / 1000}s (${String(lastError)}). Its last output:\n${server.tail()}`);
}

function tryPort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Asks the kernel for a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return tryPort(0);
}

/** A free port within a range, for servers that cannot take any port (below the kernel's ephemeral range). */
export async function freePortIn(min: number, max: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    const free = await tryPort(port).catch(() => undefined);
    if (free) return free;
  }
  throw new Error(`no free port between ${min} and ${max}`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What /proc tells about a live process: enough to tell our server from one that reused its pid. */
export interface ProcessInfo {
  argv: string[];
  /** Clock ticks after boot; with the pid, names one process for as long as the machine runs. */
  startTicks: string;
  /** Its process group: our servers lead their own (`startManaged` starts them detached). */
  pgrp: number;
}

/** `gone` for an exited (or zombie) process; `unknown` for a live one when there is no /proc to read. */
export async function inspectProcess(pid: number): Promise<ProcessInfo | 'gone' | 'unknown'> {
  if (!Number.isInteger(pid) || pid <= 0) return 'gone';
  const [stat, cmdline] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined),
    readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
  ]);
  if (stat === undefined) return isAlive(pid) ? 'unknown' : 'gone';
  // The command name in parentheses may hold spaces; field 3 (state) follows the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return 'gone';
  return { argv: cmdline.replace(/\0$/, '').split('\0'), startTicks: fields[19] ?? '', pgrp: Number(fields[2]) };
}

async function startTicksOf(pid: number): Promise<string> {
  const info = await inspectProcess(pid);
  return typeof info === 'object' ? info.startTicks : '';
}

/**
 * Records a server we started, so that after a crash the next start can recognise it: its pid
 * (first line, as pid files go), start time and binary, and this process, its owner.
 */
export async function writeServerRecord(file: string, pid: number, binary: string): Promise<void> {
  const lines = [pid, await startTicksOf(pid), binary, process.pid, await startTicksOf(process.pid)];
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await inspectProcess(pid)) !== 'gone') {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

function signal(target: number, name: NodeJS.Signals) {
  try {
    process.kill(target, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Stops a server left running by a crashed owner: `graceful` to its group, then SIGKILL. */
async function stopLeftover(pid: number, info: ProcessInfo, graceful: NodeJS.Signals): Promise<void> {
  // The whole group, so that the server's own children (PostgreSQL's backends) go with it.
  const target = info.pgrp === pid ? -pid : pid;
  signal(target, graceful);
  if (await waitUntilGone(pid, 15_000)) return;
  signal(target, 'SIGKILL');
  if (!(await waitUntilGone(pid, 5_000))) throw new Error(`process ${pid} did not exit after SIGKILL`);
}

/**
 * Clears the way for a server after a crash, from the record `writeServerRecord` left. The process
 * it names is stopped only when it is verifiably ours (same start time, its command line names
 * the same binary and data) and its owner is gone; otherwise the record is stale: it is removed
 * and that process is left alone.
 */
export async function clearLeftover(options: {
  name: string;
  recordFile: string;
  /** The server's binary now; the record names the one it was started with. */
  binary: string;
  /** An argument only a server on this data folder has: its data file or folder. */
  dataArg: string;
  /** The signal that shuts the server down cleanly. */
  signal: NodeJS.Signals;
  logger: Logger;
}): Promise<void> {
  const { name, recordFile, logger } = options;
  const content = await readFile(recordFile, 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const [pid, startTicks, binary, owner, ownerStartTicks] = content.split('\n').map((line) => line.trim());
  const info = await inspectProcess(Number(pid));
  if (info === 'unknown') {
    throw new Error(
      `A ${name} (pid ${pid}) may still be running from another Pathways process or one that was killed, and this system has no /proc to check it. ` +
        `Stop that process, or if none is running stop the server with: kill ${pid}`,
    );
  }
  // Older records hold only the pid; the command line alone then has to identify the server.
  const ours =
    info !== 'gone' &&
    (!startTicks || info.startTicks === startTicks) &&
    [binary, options.binary].filter(Boolean).includes(info.argv[0]) &&
    info.argv.includes(options.dataArg);
  if (!ours) {
    await rm(recordFile, { force: true });
    const what = info === 'gone' ? 'is no longer running' : 'is not our server; it was left alone';
    logger[info === 'gone' ? 'info' : 'warn']({ pidFile: recordFile, serverPid: Number(pid) }, `removed a stale ${name} pid file: process ${pid} ${what}`);
    return;
  }
  if (ownerStartTicks && (await startTicksOf(Number(owner))) === ownerStartTicks) {
    throw new Error(`The ${name} (pid ${pid}) on this data folder belongs to Pathways process ${owner}, which is still running. Stop that one first.`);
  }
  await stopLeftover(Number(pid), info, options.signal);
  await rm(recordFile, { force: true });
  logger.warn({ pidFile: recordFile, serverPid: Number(pid), binary }, `stopped the ${name} (pid ${pid}) that a crashed Pathways process left running; starting a new one`);
}
