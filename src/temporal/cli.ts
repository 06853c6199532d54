import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';

const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const EXECUTABLE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

export async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(() => true, () => false);
}

export async function onPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) return resolve();
      logger.error({ output: output.join('').slice(-4000) }, `${command} failed`);
      reject(new Error(`${command} ${args.join(' ')} exited with code ${code}`));
    });
  });
}

/**
 * Finds the Temporal CLI (TEMPORAL_CLI_PATH, then PATH, then `<toolsDir>/bin`), building it once
 * with `go install` into `<toolsDir>/bin` when none is found.
 */
export async function findTemporalCli(options: { explicitPath?: string; toolsDir: string; logger: Logger }): Promise<string> {
  if (options.explicitPath) {
    if (await isExecutable(options.explicitPath)) return options.explicitPath;
    throw new Error(`TEMPORAL_CLI_PATH points at ${options.explicitPath}, which is not an executable file.`);
  }
  const cached = path.join(options.toolsDir, 'bin', EXECUTABLE);
  const found = (await onPath(EXECUTABLE)) ?? ((await isExecutable(cached)) ? cached : undefined);
  if (found) return found;

  const go = await onPath(process.platform === 'win32' ? 'go.exe' : 'go');
  if (!go) {
    throw new Error(
      'No Temporal CLI found on PATH, at TEMPORAL_CLI_PATH or in .tools/bin, and Go is not installed to build one. ' +
        `Either install Go and start again (the CLI is then built once with: go install ${TEMPORAL_CLI_MODULE}), ` +
        'or install the Temporal CLI and set TEMPORAL_CLI_PATH to it, ' +
        'or set TEMPORAL_ADDRESS to a running Temporal server.',
    );
  }
  options.logger.info(`building the Temporal CLI once with: go install ${TEMPORAL_CLI_MODULE} (this takes a few minutes)`);
  await run(go, ['install', TEMPORAL_CLI_MODULE], { ...process.env, GOBIN: path.dirname(cached) }, options.logger);
  if (!(await isExecutable(cached))) throw new Error(`go install finished but ${cached} is missing`);
  options.logger.info({ path: cached }, 'Temporal CLI built');
  return cached;
}
