// No pathway waits without a bound (issue 21, finding 1): a transfer's opening fails in every way
// it can, and the pathway always ends where a person can act, within its deadline, with an
// incident where one must; an audit write late past its deadline is an incident too.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { startWorker, type PathwayWorker } from '../../src/temporal/worker.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { tcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { verifyAudit } from '../../src/audit-verify.js';
import { call, expectProblem, startTestApi } from '../helpers/api.js';
import { ARRIVAL, openOne, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { accepted, eventually, MLSP, PRAVO, until, useAgencies } from '../agencies/orgs.js';

/**
 * Five seconds: how long these pathways wait on PostgreSQL before they raise an incident. Every
 * write that waits on a lock below holds a connection meanwhile: room for them beside the test's.
 */
const api = useAgencies({ env: { WAIT_DEADLINE_SECONDS: '5' }, poolSize: 20 });

type Old = { status: string; closure?: { reason: string }; transfer: { status: string; newPathwayId?: string; failure?: string; stuck?: boolean } };

async function audit() {
  const lines: string[] = [];
  const code = await verifyAudit(api.stack.db.pool, api.stack.client, (line) => lines.push(line));
  return { code, lines };
}

const openIncidents = async (id: string) =>
  (await api.stack.db.pool.query('select kind, detail from incidents where pathway_id = $1 and resolved_at is null', [id])).rows;

describe('a transfer whose opening fails', () => {
  it("opens the new pathway whatever a client did with the key the transfer once took in the receiver's key space", async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo' }));
    // The receiving coordinator opens someone else under the key the transfer used to open with.
    const squatter = { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: person(40, ARRIVAL, { sex: 'female' }) };
    expect((await api.post(PRAVO.coordinator, '/v1/pathways', squatter, { 'idempotency-key': `transfer-${id}` })).statusCode).toBe(201);
    await accepted(await api.act(PRAVO.coordinator, id, 'transfer.accept'));
    const old = await eventually<Old>(() => api.read(MLSP.supervisor, id), (s) => s.status === 'closed');
    expect(old.closure!.reason).toBe('transferred');
    const moved = await eventually<{ transferredFrom: string; organisations: string[] }>(() => api.read(PRAVO.supervisor, old.transfer.newPathwayId!), () => true);
    expect(moved).toMatchObject({ transferredFrom: id, organisations: ['pravo'] });
  });

  it('fails at once, with the reason, when the programme cannot take the person; the pathway goes on', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo', programme: 'KG', operation: 'Meerim' }));
    await accepted(await api.act(PRAVO.coordinator, id, 'transfer.accept'));
    const failed = await eventually<Old>(() => api.read(MLSP.supervisor, id), (s) => s.transfer.status === 'failed');
    expect(failed).toMatchObject({ status: 'active', transfer: { failure: expect.stringMatching(/^Programme KG cannot take this person/) } });
    expect(failed.transfer.stuck).toBeUndefined();
    expect(await openIncidents(id)).toEqual([]);
    await accepted(await api.act(MLSP.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }));
  });

  it('fails as stuck when it cannot be prepared by the deadline, raises an incident /readyz and audit:verify show, and a new request ends it', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo' }));
    // PostgreSQL does not answer what the preparation asks: the person's record is locked.
    const lock = await api.stack.db.pool.connect();
    await lock.query('begin');
    await lock.query('lock table people in access exclusive mode');
    try {
      await accepted(await api.act(PRAVO.coordinator, id, 'transfer.accept'));
      // Read from the workflow: the API's read of the person's record would wait for the lock too.
      const failed = await waitFor(api.stack.client, id, (s) => s.transfer?.status === 'failed', 20_000);
      expect(failed.status).toBe('active');
      expect(failed.transfer).toMatchObject({ stuck: true, failure: expect.stringMatching(/^The new pathway could not be prepared within/) });
      expect(failed.availableActions.map((a) => a.type)).toContain('transfer.request');
      const incidents = await until(() => openIncidents(id), (rows) => rows.length > 0);
      expect(incidents).toEqual([{ kind: 'transfer-not-prepared', detail: expect.stringMatching(/^transfer to pravo: /) }]);
    } finally {
      await lock.query('rollback');
      lock.release();
    }
    const ready = (await api.anonymous({ method: 'GET', url: '/readyz' })).json();
    expect(ready).toMatchObject({ openIncidents: 1, incidentKinds: { 'transfer-not-prepared': 1 } });
    const before = await audit();
    expect(before.code).toBe(1);
    expect(before.lines).toContainEqual(expect.stringMatching(new RegExp(`^INCIDENT pathway ${id}: transfer-not-prepared since .*: transfer to pravo: `)));

    // A person acts: the supervisor asks again, the receiver accepts, and the pathway moves on.
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo' }));
    expect(await openIncidents(id)).toEqual([]);
    await accepted(await api.act(PRAVO.coordinator, id, 'transfer.accept'));
    await eventually<Old>(() => api.read(MLSP.supervisor, id), (s) => s.closure?.reason === 'transferred');
    const after = await audit();
    expect(after.lines.filter((line) => line.startsWith('INCIDENT'))).toEqual([]);
  });

  it('is refused when it names a programme, operation or phase outside the catalogue, or an unknown organisation', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const refused = async (payload: object) => expectProblem(await api.act(MLSP.supervisor, id, 'transfer.request', payload), 400, 'validation-failed').fields;
    expect(await refused({ to: 'pravo', programme: 'XX', operation: 'Nope' })).toEqual([{ path: 'payload.programme', message: 'must be one of KG, KZ, TJ, UZ' }]);
    expect(await refused({ to: 'pravo', programme: 'UZ', operation: 'Nope' })).toEqual([{ path: 'payload.operation', message: expect.stringMatching(/^must be one of Mehr/) }]);
    expect(await refused({ to: 'pravo', operation: 'Zhusan', phase: '9' })).toEqual([{ path: 'payload.phase', message: expect.stringMatching(/^must be one of 1/) }]);
    expect(await refused({ to: 'MLSP' })).toEqual([{ path: 'payload.to', message: expect.stringMatching(/^must be an organisation of the directory/) }]);
    expect((await accepted(await api.read(MLSP.supervisor, id))).transfer).toBeUndefined();
  });
});

describe('an audit write that has not gone through by its deadline', () => {
  it('raises an incident the pathway, /readyz and audit:verify show, refuses actions meanwhile, and records the waiting one once', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    await waitFor(api.stack.client, id, (s) => s.version >= 1);
    // PostgreSQL takes no audit entry (reads go on): the write waits past the pathway's five seconds.
    const lock = await api.stack.db.pool.connect();
    await lock.query('begin');
    await lock.query('lock table audit_entries in share mode');
    let waiting: Promise<{ statusCode: number; body: string; json(): any }> | undefined;
    try {
      waiting = api.act(MLSP.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }, { actionId: 'late-write-1' });
      const late = await waitFor(api.stack.client, id, (s) => s.incident !== undefined, 20_000);
      expect(late.incident).toMatchObject({ code: 'audit-write-late', message: expect.stringMatching(/not been written by their deadline/) });
      const refused = expectProblem(await api.act(MLSP.staff, id, 'medical.record-screening', { result: 'cleared' }), 409, 'action-refused');
      expect(refused.reason).toBe('incident');
      await until(() => openIncidents(id), (rows) => rows.length > 0);
      expect(await openIncidents(id)).toEqual([{ kind: 'audit-write-late', detail: expect.stringMatching(/^audit entries from \d+ on not written within/) }]);
      // The lock holds back every pathway's writes: another of this file's, whose timer fired meanwhile, may be late too.
      const ready = (await api.anonymous({ method: 'GET', url: '/readyz' })).json();
      expect(ready.incidentKinds['audit-write-late']).toBeGreaterThanOrEqual(1);
      expect(ready.openIncidents).toBe(Object.values(ready.incidentKinds as Record<string, number>).reduce((a, b) => a + b, 0));
      const report = await audit();
      expect(report.code).toBe(1);
      expect(report.lines).toContainEqual(expect.stringMatching(new RegExp(`^INCIDENT pathway ${id}: audit-write-late since `)));
    } finally {
      await lock.query('rollback');
      lock.release();
    }
    // Once PostgreSQL takes the entries, the incident ends and the waiting action is recorded once.
    expect((await waiting!).statusCode).toBe(200);
    await waitFor(api.stack.client, id, (s) => s.incident === undefined);
    await until(() => openIncidents(id), (rows) => rows.length === 0);
    const { rows } = await api.stack.db.pool.query('select count(*)::int as n from audit_entries where pathway_id = $1 and action_id = $2', [id, 'late-write-1']);
    expect(rows[0].n).toBe(1);
  });
});

describe('a transfer while Temporal is unreachable for a while', () => {
  let stack: TestStack;
  let app: FastifyInstance;
  let proxy: TcpProxy;
  let worker: PathwayWorker;
  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    app = await startTestApi(stack);
    // The worker reaches Temporal through a relay this test cuts.
    proxy = await tcpProxy(stack.config.temporal.address!);
    worker = await startWorker({ config: stack.config, address: proxy.address, pool: stack.db.pool, bundle: { codePath: inject('workflowBundlePath') }, codec: stack.codec });
  });
  afterAll(async () => {
    proxy?.restore();
    await worker?.stop();
    await proxy?.close();
    await app?.close();
    await stack?.stop();
  });

  it('ends transferred once Temporal answers again', async () => {
    const as = (actor: Actor, options: InjectOptions) => call(app, stack, actor, options);
    const id = await openOne(stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const act = (actor: Actor, type: string, payload: object = {}) => as(actor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type, payload } });
    expect((await act(MLSP.supervisor, 'transfer.request', { to: 'pravo' })).statusCode).toBe(200);
    expect((await act(PRAVO.coordinator, 'transfer.accept')).statusCode).toBe(200);
    proxy.cut();
    await sleep(5000);
    proxy.restore();
    const moved = await waitFor(stack.client, id, (s) => s.status === 'closed', 60_000);
    expect(moved).toMatchObject({ closure: { reason: 'transferred' }, transfer: { status: 'accepted', newPathwayId: expect.any(String) } });
    const opened = await until(() => as(PRAVO.supervisor, { method: 'GET', url: `/v1/pathways/${moved.transfer!.newPathwayId}` }), (r) => r.statusCode === 200, 60_000);
    expect(opened.json()).toMatchObject({ transferredFrom: id, organisations: ['pravo'], status: 'active' });
  });
});
