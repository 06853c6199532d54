import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { acceptedUpdates } from '../helpers/history.js';
import { ARRIVAL, driveToClosure, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, TEST_PAYLOAD_KEYS, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
const workers: ChildProcess[] = [];
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000, worker: false });
});
afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  await stack?.stop();
});

/** `npm run worker` in a process of its own, which the test can kill like a crashing machine. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const log = createWriteStream(inject('logFile'), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_FORMAT: 'json',
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
      DATABASE_URL: stack.db.url,
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      PAYLOAD_ACTIVE_KEY: 'test-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  await waitForPoller(child);
  return child;
}

async function waitForPoller(child: ChildProcess) {
  const since = Date.now();
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
    const { pollers } = await stack.client.workflowService.describeTaskQueue({
      namespace: stack.config.temporal.namespace,
      taskQueue: { name: stack.config.temporal.taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (pollers.some((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 >= since - 1000)) return;
    await sleep(100);
  }
  throw new Error('the worker never polled');
}

async function auditRows(pathwayId: string) {
  const { rows } = await stack.db.pool.query<{ seq: number; kind: string }>('select seq, kind from audit_entries where pathway_id = $1 order by seq', [pathwayId]);
  return rows;
}

describe('a worker that dies in the middle of a pathway', () => {
  it('is replaced by a new one and the pathway completes with every action recorded exactly once', async () => {
    let worker = await startWorkerProcess();
    const id = await openOne(stack, 'KZ', person(36, ARRIVAL));
    const driving = driveToClosure(stack.client, id, 120_000);

    while ((await auditRows(id)).length < 8) await sleep(20);
    worker.kill('SIGKILL');
    const killedAt = (await auditRows(id)).length;
    await sleep(1000);
    worker = await startWorkerProcess();

    const { state, sent } = await driving;
    worker.kill('SIGTERM');
    expect(state.status).toBe('closed');

    const audit = await auditRows(id);
    expect(audit.length).toBeGreaterThan(killedAt);
    expect(audit.map((e) => e.seq)).toEqual(audit.map((_, n) => n + 1));
    const actions = audit.filter((e) => e.kind === 'action').length;
    expect(actions).toBe(sent.length);
    expect(await acceptedUpdates(stack.client, id)).toBe(actions);
  });
});
