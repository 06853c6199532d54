import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { createPayloadCodec } from '../../src/temporal/codec.js';
import { testConfig, testLogger } from '../helpers/stack.js';

const DIR = path.join(PROJECT_ROOT, 'test', 'histories');
const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
testLogger();
// The histories were recorded with the test key, so their payloads are encrypted like production ones.
const codec = await createPayloadCodec(testConfig({}));

describe('recorded histories', () => {
  it('exist for every programme', () => {
    for (const programme of ['kz', 'uz', 'kg', 'tj']) expect(files.some((f) => f.startsWith(`${programme}-`))).toBe(true);
  });

  it.each(files)('%s replays deterministically with the current workflow code', async (file) => {
    const history = JSON.parse(await readFile(path.join(DIR, file), 'utf8'));
    const options = { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: { payloadCodecs: [codec] } };
    await Worker.runReplayHistory(options, history, file);
  });
});
