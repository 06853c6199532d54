import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

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

/** Asks the kernel for a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in the first line of a pid file, when that process is still running. */
export async function livePidFrom(pidFile: string): Promise<number | undefined> {
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  const pid = Number(content?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}
