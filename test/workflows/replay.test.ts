import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { testLogger } from '../helpers/stack.js';

const DIR = path.join(PROJECT_ROOT, 'test', 'histories');
const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
testLogger();

describe('recorded histories', () => {
  it('exist for every programme', () => {
    for (const programme of ['kz', 'uz', 'kg', 'tj']) expect(files.some((f) => f.startsWith(`${programme}-`))).toBe(true);
  });

  it.each(files)('%s replays deterministically with the current workflow code', async (file) => {
    const history = JSON.parse(await readFile(path.join(DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file);
  });
});
