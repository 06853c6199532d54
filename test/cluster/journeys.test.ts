// The production shape as `npm run cluster` runs it: a Temporal server on PostgreSQL, the API and
// two workers as compiled processes in production mode, tokens checked against an HTTPS JWKS.
// Each programme's journey goes from opening to closure over HTTP.
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Programme } from '../../src/domain/model.js';
import { pollingWorkers } from '../../src/cluster/readiness.js';
import { NAMESPACE, TASK_QUEUE } from '../../src/cluster/shape.js';
import { ARRIVAL, crew, driveAll, type Accepted } from './helpers/caseload.js';
import { startTestCluster, type TestCluster } from './helpers/cluster.js';
import { AnswerLog, ApiClient } from './helpers/http.js';

let shape: TestCluster;
let passed = false;
beforeAll(async () => {
  shape = await startTestCluster({ name: 'journeys', clockScale: 10_000_000 });
});
afterAll(async () => {
  await shape?.stop({ keepData: !passed });
});

const JOURNEYS: Record<Programme, { operation: string; person: Record<string, unknown> }> = {
  KZ: { operation: 'Zhusan', person: { sex: 'female', birthDate: '1990-02-03', arrivedWith: 'adult' } },
  UZ: { operation: 'Mehr', person: { sex: 'male', birthDate: '2011-04-05', arrivedWith: 'mother', hasBirthCertificate: true } },
  KG: { operation: 'Meerim', person: { sex: 'female', birthDate: '2014-06-07', arrivedWith: 'siblings' } },
  TJ: { operation: 'Iraq', person: { sex: 'male', birthDate: '2008-08-09', arrivedWith: 'orphan' } },
};

describe('npm run cluster', () => {
  it('is ready, with both workers polling, and checks tokens against the identity provider', async () => {
    const { cluster } = shape;
    const ready = await fetch(`${cluster.apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: unknown }).checks).toEqual({ postgres: 'ok', temporal: 'ok', worker: 'ok' });
    const pids = cluster.workers.map((w) => w.pid!);
    expect(await pollingWorkers(cluster.temporal.address, NAMESPACE, TASK_QUEUE, pids)).toEqual(pids);

    const actor = { id: 'cora', role: 'coordinator', org: 'mlsp' } as const;
    const list = (token: string) => fetch(`${cluster.apiUrl}/v1/pathways`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await list(await cluster.token(actor))).toBe(200);
    // Signed by someone else, with the same claims: refused.
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ role: actor.role, org: actor.org })
      .setProtectedHeader({ alg: 'ES256' }).setSubject(actor.id).setIssuer('pathways-rehearsal-idp').setAudience('pathways')
      .setIssuedAt().setExpirationTime('1h').sign(privateKey);
    expect(await list(forged)).toBe(401);
  });

  it.each(Object.keys(JOURNEYS) as Programme[])('takes a %s pathway from opening to closure over HTTP', async (programme) => {
    const { cluster } = shape;
    const log = new AnswerLog();
    const api = new ApiClient(cluster.apiUrl, log);
    const people = crew(1, (actor) => cluster.token(actor));
    const { operation, person } = JOURNEYS[programme]!;
    const opened = await api.request(() => people.token(people.coordinator), 'POST', '/v1/pathways', {
      programme,
      operation,
      arrivalDate: ARRIVAL,
      person: { givenName: 'Journey', familyName: programme, ...person },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;

    const accepted: Accepted = new Map();
    const { problems, open } = await driveAll(api, [people], [id], accepted, { deadline: Date.now() + 5 * 60_000 });
    expect(problems).toEqual([]);
    expect(open).toEqual([]);

    const history = await api.request(() => people.token(people.supervisors[0]), 'GET', `/v1/pathways/${id}/history`);
    const entries = history.body.entries as { seq: number; kind: string; type: string; actionId: string | null }[];
    expect(history.body.chain).toEqual({ verified: true });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const actions = entries.filter((e) => e.kind === 'action' && e.type !== 'pathway.opened');
    expect(new Set(actions.map((e) => e.actionId))).toEqual(new Set(accepted.get(id)!.keys()));
    expect(actions.at(-1)?.type).toBe('pathway.close');
    expect(log.badServerErrors()).toEqual([]);
    passed = true;
  });
});
