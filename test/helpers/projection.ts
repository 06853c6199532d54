import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PathwayView } from '../../src/domain/pathway.js';
import type { AccessVia } from '../../src/db/access-log.js';
import { forActor } from '../../src/pathways/read.js';
import { stateOf } from './pathways.js';
import type { TestStack } from './stack.js';

/** The view the pathway stored with its last batch: what `GET /v1/pathways/:id` answers from. */
export async function storedView(stack: TestStack, id: string): Promise<PathwayView | undefined> {
  const { rows } = await stack.db.pool.query<{ view: PathwayView | null }>('select view from pathways where id = $1', [id]);
  return rows[0]?.view ?? undefined;
}

/**
 * Asserts the stored view is the workflow's own state, at one version: a timer may move the
 * pathway on between two reads, so both are read again until they agree on the version. Returns
 * the workflow's state.
 */
export async function expectStoredIsOwn(stack: TestStack, id: string): Promise<PathwayView> {
  for (let tries = 0; ; tries++) {
    const before = await storedView(stack, id);
    const own = await stateOf(stack.client, id);
    const after = await storedView(stack, id);
    if (before?.version === own.version && after?.version === own.version) {
      expect(after).toEqual(own);
      return own;
    }
    if (tries > 100) throw new Error(`stored ${before?.version}/${after?.version}, workflow ${own.version}`);
    await sleep(20);
  }
}

/**
 * Asserts a read over HTTP answers what the workflow's own state shows this caller: read until
 * the two are at one version, as above. Returns the read, without the person's record.
 */
export async function expectReadIsOwn(
  stack: TestStack,
  id: string,
  read: () => Promise<PathwayView & { record?: unknown }>,
  actor: Actor,
  via: AccessVia = 'organisation',
  referredStages: string[] = [],
): Promise<PathwayView> {
  for (let tries = 0; ; tries++) {
    const { record, ...answered } = await read();
    const own = await stateOf(stack.client, id);
    if (answered.version === own.version) {
      expect(record).toBeDefined();
      expect(answered).toEqual(JSON.parse(JSON.stringify(forActor(own, actor, via, referredStages))));
      return answered;
    }
    if (tries > 100) throw new Error(`read ${answered.version}, workflow ${own.version}`);
    await sleep(20);
  }
}
