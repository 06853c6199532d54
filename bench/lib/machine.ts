import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/index.js';

/** What the figures were measured on: they only compare with runs on the same machine. */
export async function machine(startedAt: Date) {
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  })();
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    // Other jobs on the machine skew the figures: the load when the bench started says so.
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    startedAt: startedAt.toISOString(),
    commit,
  };
}

/**
 * bench/results/<YYYY-MM-DD>.json; -<phases> for some phases only, -configured on a configured
 * Temporal (the production shape), -quick for a quick run.
 */
export function resultsFile(startedAt: Date, quick: boolean, phases = '', configured = false): string {
  const date = startedAt.toISOString().slice(0, 10);
  // A run of some phases, or on other servers, gets a name of its own: it does not replace the day's full run.
  return path.join(PROJECT_ROOT, 'bench', 'results', `${date}${phases ? `-${phases}` : ''}${configured ? '-configured' : ''}${quick ? '-quick' : ''}.json`);
}
