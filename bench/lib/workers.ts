import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../config/index.js';
import { pollingWorkers } from '../../src/cluster/readiness.js';

/** A worker the bench runs as its own OS process, so that /proc tells its CPU and memory. */
export interface WorkerProcess {
  name: string;
  pid: number;
  /** Warnings and errors it logged, for the report: how many times each message came. */
  problems: Record<string, number>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;

/**
 * Starts `args` under node with tsx, in its own process group (a Ctrl-C reaches the bench only,
 * which stops it in order) and with a channel, so that it also stops when the bench is killed.
 * Ready once it has logged `readyLine` and, on the bench's own Temporal, polls its task queue.
 */
export async function startWorkerProcess(options: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  readyLine: string;
  /** Checked with the dev server only: the pollers of a configured cluster may need TLS to list. */
  pollCheck?: { address: string; namespace: string; taskQueue: string };
  /** Told at once how to stop the process, so that a Ctrl-C during its start stops it too. */
  track: (name: string, stop: () => Promise<void>) => void;
}): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...options.args], {
    cwd: PROJECT_ROOT,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.channel?.unref();
  const tail: string[] = [];
  const problems: Record<string, number> = {};
  let ready = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const onLine = (line: string) => {
    if (!line.trim()) return;
    tail.push(line);
    if (tail.length > 30) tail.shift();
    if (line.includes(options.readyLine)) ready = true;
    // pino levels: 40 warn, 50 error, 60 fatal; the message only (ids vary from line to line).
    const level = Number(/"level":(\d+)/.exec(line)?.[1]);
    if (level >= 40) {
      const msg = `${level >= 50 ? 'error' : 'warn'}: ${/"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1]?.slice(0, 200) ?? line.slice(0, 200)}`;
      if (problems[msg] !== undefined || Object.keys(problems).length < 50) problems[msg] = (problems[msg] ?? 0) + 1;
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(onLine);
    });
  }
  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    if (!(await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]))) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  options.track(options.name, stop);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!ready || (options.pollCheck && !(await polls(options.pollCheck, child.pid!)))) {
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} did not start. Its last output:\n${tail.join('\n')}`);
    }
    await sleep(250);
  }
  return { name: options.name, pid: child.pid!, problems, stop };
}

async function polls(check: { address: string; namespace: string; taskQueue: string }, pid: number): Promise<boolean> {
  return (await pollingWorkers(check.address, check.namespace, check.taskQueue, [pid])).includes(pid);
}

type Track = (name: string, stop: () => Promise<void>) => void;

export interface WorkerTargets {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  dataDir: string;
  ownTemporal: boolean;
}

/** The service's worker through its own entry point (`src/main.ts worker`), on the bench's servers. */
export function startServiceWorker(targets: WorkerTargets, taskQueue: string, track: Track): Promise<WorkerProcess> {
  return startWorkerProcess({
    track,
    name: 'the service worker',
    args: [path.join('src', 'main.ts'), 'worker'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: targets.dataDir,
      TEMPORAL_ADDRESS: targets.temporalAddress,
      TEMPORAL_NAMESPACE: targets.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: targets.databaseUrl,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
    readyLine: 'worker is running',
    pollCheck: targets.ownTemporal ? { address: targets.temporalAddress, namespace: targets.namespace, taskQueue } : undefined,
  });
}

/** The bare baseline's worker (`bench/baseline/worker.ts`). */
export function startBaselineWorker(targets: WorkerTargets, taskQueue: string, track: Track): Promise<WorkerProcess> {
  return startWorkerProcess({
    track,
    name: 'the baseline worker',
    args: [path.join('bench', 'baseline', 'worker.ts')],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: targets.dataDir,
      BENCH_TEMPORAL_ADDRESS: targets.temporalAddress,
      BENCH_NAMESPACE: targets.namespace,
      BENCH_TASK_QUEUE: taskQueue,
      BENCH_DATABASE_URL: targets.databaseUrl,
    },
    readyLine: 'baseline worker is running',
    pollCheck: targets.ownTemporal ? { address: targets.temporalAddress, namespace: targets.namespace, taskQueue } : undefined,
  });
}
