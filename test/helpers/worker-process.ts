import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import proto from '@temporalio/proto';
import { inject } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { TEST_PAYLOAD_KEYS, type TestStack } from './stack.js';

/**
 * `npm run worker` in a process of its own on the stack's servers and task queue, which a test can
 * kill like a machine that fails; answers once it polls for work. `env` adds settings.
 */
export async function startWorkerProcess(stack: TestStack, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ChildProcess> {
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
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const since = Date.now();
  while (Date.now() - since < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
    const { pollers } = await stack.client.workflowService.describeTaskQueue({
      namespace: stack.config.temporal.namespace,
      taskQueue: { name: stack.config.temporal.taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (pollers.some((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 >= since - 1000)) return child;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('the worker never polled');
}
