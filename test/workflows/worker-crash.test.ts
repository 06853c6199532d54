import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedUpdates } from '../helpers/history.js';
import { ARRIVAL, driveToClosure, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

let stack: TestStack;
const workers: ChildProcess[] = [];
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000, worker: false });
});
afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  await stack?.stop();
});

/** A worker process the test can kill like a crashing machine, killed for good after the tests. */
async function startWorker(): Promise<ChildProcess> {
  const child = await startWorkerProcess(stack);
  workers.push(child);
  return child;
}

async function auditRows(pathwayId: string) {
  const { rows } = await stack.db.pool.query<{ seq: number; kind: string }>('select seq, kind from audit_entries where pathway_id = $1 order by seq', [pathwayId]);
  return rows;
}

describe('a worker that dies in the middle of a pathway', () => {
  it('is replaced by a new one and the pathway completes with every action recorded exactly once', async () => {
    let worker = await startWorker();
    const id = await openOne(stack, 'KZ', person(36, ARRIVAL));
    const driving = driveToClosure(stack.client, id, 120_000);

    while ((await auditRows(id)).length < 8) await sleep(20);
    worker.kill('SIGKILL');
    const killedAt = (await auditRows(id)).length;
    await sleep(1000);
    worker = await startWorker();

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
