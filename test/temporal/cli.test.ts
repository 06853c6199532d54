import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findTemporalCli } from '../../src/temporal/cli.js';
import { testLogger } from '../helpers/stack.js';

const logger = testLogger();
let root: string;
let savedPath: string | undefined;

async function fakeCli(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'temporal');
  await writeFile(file, '#!/bin/sh\nexit 0\n');
  await chmod(file, 0o755);
  return file;
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pathways-cli-'));
  savedPath = process.env.PATH;
  process.env.PATH = path.join(root, 'empty-path');
});
afterEach(async () => {
  process.env.PATH = savedPath;
  await rm(root, { recursive: true, force: true });
});

describe('finding the Temporal CLI', () => {
  it('uses TEMPORAL_CLI_PATH and refuses one that is not executable', async () => {
    const cli = await fakeCli(path.join(root, 'explicit'));
    expect(await findTemporalCli({ explicitPath: cli, toolsDir: root, logger })).toBe(cli);
    await expect(findTemporalCli({ explicitPath: path.join(root, 'nope'), toolsDir: root, logger })).rejects.toThrow(
      `TEMPORAL_CLI_PATH points at ${path.join(root, 'nope')}, which is not an executable file.`,
    );
  });

  it('prefers one on PATH, then the cached build in .tools/bin', async () => {
    const cached = await fakeCli(path.join(root, 'tools', 'bin'));
    expect(await findTemporalCli({ toolsDir: path.join(root, 'tools'), logger })).toBe(cached);
    const onPath = await fakeCli(path.join(root, 'on-path'));
    process.env.PATH = path.join(root, 'on-path');
    expect(await findTemporalCli({ toolsDir: path.join(root, 'tools'), logger })).toBe(onPath);
  });

  it('says exactly how to get one when there is none and Go is missing', async () => {
    await expect(findTemporalCli({ toolsDir: path.join(root, 'tools'), logger })).rejects.toThrow(
      'go install github.com/temporalio/cli/cmd/temporal@v1.5.1',
    );
  });
});
