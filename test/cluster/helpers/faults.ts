import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../../config/index.js';
import type { TestCluster } from './cluster.js';

export interface FaultContext {
  shape: TestCluster;
  /** Resolves once clients have had `n` more actions accepted: the caseload moves on. */
  progress(n: number): Promise<void>;
  note(line: string): void;
}

/** One way of breaking the production shape while a caseload is in flight, and of bringing it back. */
export interface Fault {
  name: string;
  /** In the variant CI runs on every change. */
  ci: boolean;
  /** Before the caseload starts: what the fault needs ready (a build takes a while). */
  prepare?(shape: TestCluster): Promise<void>;
  inject(context: FaultContext): Promise<void>;
}

/** A second build of the service, as a deployment brings: compiled and bundled afresh into its own folder. */
export function buildNext(shape: TestCluster): string {
  // Inside the project, so that the compiled code finds node_modules.
  const outDir = path.join(shape.dataDir, 'build-next');
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out-dir', path.relative(PROJECT_ROOT, outDir)], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`the second build failed:\n${build.stdout}\n${build.stderr}`);
  return outDir;
}

let nextBuild = '';

export const FAULTS: Fault[] = [
  {
    name: 'a worker killed (SIGKILL), later restarted',
    ci: true,
    async inject({ shape, progress, note }) {
      const [worker] = shape.cluster.workers;
      await worker!.stop('SIGKILL');
      note(`killed ${worker!.spec.name}; the other worker carries on`);
      await progress(100);
      await worker!.start();
      await shape.cluster.waitUntilReady();
      note(`restarted ${worker!.spec.name}`);
    },
  },
  {
    name: 'PostgreSQL frozen (SIGSTOP of all its processes) for 10 seconds',
    ci: true,
    async inject({ shape, note }) {
      const pids = await shape.cluster.postgresPids();
      await shape.cluster.freezePostgres();
      note(`froze ${pids.length} PostgreSQL processes`);
      await sleep(10_000);
      await shape.cluster.thawPostgres();
      note('resumed PostgreSQL');
    },
  },
  {
    name: 'the Temporal server killed (SIGKILL) and restarted on its database',
    ci: false,
    async inject({ shape, note }) {
      await shape.cluster.temporal.stop('SIGKILL');
      note('killed the Temporal server');
      await sleep(5_000);
      await shape.cluster.temporal.start(shape.logger);
      await shape.cluster.waitUntilReady();
      note('the Temporal server is back');
    },
  },
  {
    name: 'the API killed (SIGKILL) and restarted while clients retry',
    ci: false,
    async inject({ shape, note }) {
      await shape.cluster.api.stop('SIGKILL');
      note('killed the API');
      await sleep(3_000);
      await shape.cluster.api.start();
      await shape.cluster.waitUntilReady();
      note('the API is back');
    },
  },
  {
    name: 'the workers rolled to a new build mid-flight',
    ci: false,
    async prepare(shape) {
      nextBuild = buildNext(shape);
    },
    async inject({ shape, progress, note }) {
      const old = [...shape.cluster.workers];
      // One at a time: a new worker joins, then an old one drains and stops.
      for (const [i, worker] of old.entries()) {
        await shape.cluster.addWorker(`worker-next-${i + 1}`, nextBuild);
        await worker.stop('SIGTERM');
        note(`${worker.spec.name} stopped gracefully; worker-next-${i + 1} runs the new build`);
        await progress(50);
      }
      shape.cluster.workers = shape.cluster.workers.filter((w) => !old.includes(w));
      await shape.cluster.waitUntilReady();
    },
  },
];
