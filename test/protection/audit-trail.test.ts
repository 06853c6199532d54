import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { call, startTestApi } from '../helpers/api.js';
import { ACTORS, act, ARRIVAL, auditedUpTo, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
const ids: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  for (const programme of ['KZ', 'UZ', 'KZ', 'UZ']) {
    const id = await openOne(stack, programme, person(35, ARRIVAL));
    await act(stack.client, id, 'medical.record-screening', { result: 'treatment-needed' }, ACTORS.staff);
    await act(stack.client, id, 'medical.record-screening', { result: 'cleared' }, ACTORS.staff);
    const { version } = await act(stack.client, id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.staff);
    await auditedUpTo(stack, id, version);
    ids.push(id);
  }
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

/** `npm run audit:verify`, as an operator runs it against the database. */
function auditVerify() {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'audit:verify'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', DATABASE_URL: stack.db.url },
    encoding: 'utf8',
  });
  return { status: result.status, report: result.stdout.split('\n').filter((l) => !l.startsWith('{')) };
}

async function chainOf(id: string) {
  return (await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${id}/history` })).json().chain;
}

describe('the audit trail', () => {
  it('verifies while nobody has touched it', async () => {
    const { status, report } = auditVerify();
    expect(report).toContain('Checked 4 pathways and 16 audit entries: every chain verifies.');
    expect(status).toBe(0);
    expect(await chainOf(ids[0]!)).toEqual({ verified: true });
  });

  it('names the first altered, removed or re-linked entry of each chain; untouched chains still verify', async () => {
    const [altered, removed, relinked, untouched] = ids as [string, string, string, string];
    await stack.db.pool.query(`update audit_entries set data = '{"result":"cleared"}' where pathway_id = $1 and seq = 2`, [altered]);
    await stack.db.pool.query('delete from audit_entries where pathway_id = $1 and seq = 3', [removed]);
    await stack.db.pool.query(`update audit_entries set prev_hash = repeat('f', 64) where pathway_id = $1 and seq = 4`, [relinked]);

    const { status, report } = auditVerify();
    expect(status).toBe(1);
    expect(report.filter((line) => line.startsWith('BROKEN')).sort()).toEqual(
      [
        `BROKEN pathway ${altered}: audit entry 2 was altered: its content no longer matches its hash`,
        `BROKEN pathway ${removed}: audit entry 3 is missing`,
        `BROKEN pathway ${relinked}: audit entry 4 does not link to the entry before it`,
      ].sort(),
    );
    expect(report).toContain('Checked 4 pathways and 15 audit entries: 3 chain(s) broken.');
    expect(await chainOf(altered)).toEqual({ verified: false, firstBroken: { seq: 2, reason: 'altered' } });
    expect(await chainOf(untouched)).toEqual({ verified: true });
  });

  it('detects entries cut from the end of a chain', async () => {
    const id = await openOne(stack, 'TJ', person(9, ARRIVAL, { arrivedWith: 'orphan' }));
    const { version } = await act(stack.client, id, 'medical.record-screening', { result: 'cleared' }, ACTORS.staff);
    await auditedUpTo(stack, id, version);
    expect(await chainOf(id)).toEqual({ verified: true });
    await stack.db.pool.query('delete from audit_entries where pathway_id = $1 and seq = $2', [id, version]);
    expect(await chainOf(id)).toEqual({ verified: false, firstBroken: { seq: version, reason: 'missing' } });
  });
});
