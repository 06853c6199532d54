import { spawn, type ChildProcess } from 'node:child_process';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** One process of the service (`api` or `worker`), run from a build's compiled code. */
export interface ServiceSpec {
  name: string;
  role: 'api' | 'worker';
  /** The build to run: the folder `npm run build` wrote. */
  distDir: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

/** The entry point within a build. */
const ENTRY = 'src/main.js';

/** The command line of a service process: the same one docker-compose.yml runs. */
export function serviceCommand(role: 'api' | 'worker'): string[] {
  return ['node', `dist/${ENTRY}`, role];
}

/**
 * A service process the cluster started: its own OS process and process group, logging to a
 * file, with a channel to the cluster so that it stops when the cluster goes away.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: FileHandle;
  private exit?: Promise<number | null>;
  /** Started and not stopped on purpose since. */
  private wanted = false;

  constructor(public spec: ServiceSpec) {}

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** It exited without being stopped: a crash, or a failed start. */
  get failed(): boolean {
    return this.wanted && !this.running;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    this.wanted = true;
    this.log = await open(this.spec.logFile, 'a');
    const child = spawn(process.execPath, [path.join(this.spec.distDir, ENTRY), this.spec.role], {
      env: this.spec.env,
      detached: true,
      stdio: ['ignore', this.log.fd, this.log.fd, 'ipc'],
    });
    // The channel only tells the child when the cluster is gone; it must not keep the cluster alive.
    child.unref();
    child.channel?.unref();
    this.child = child;
    const log = this.log;
    this.exit = new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(null));
    }).then(async (code) => {
      await log.close().catch(() => undefined);
      return code as number | null;
    });
  }

  /** Sends `signal`; for a graceful one, waits up to `graceMs` and then kills. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 40_000): Promise<void> {
    this.wanted = false;
    if (!this.child || !this.running) return;
    this.child.kill(signal);
    const done = await Promise.race([this.exit!.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }
}
