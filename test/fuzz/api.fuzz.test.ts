import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../src/api/auth.js';
import { checkAllChains } from '../../src/db/audit-chain.js';
import { startTestApi } from '../helpers/api.js';
import { ARRIVAL, auditCount, stateOf } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, testConfig, type TestStack } from '../helpers/stack.js';
import type { JsonSchema } from './arbitraries.js';
import { FUZZ_ACTORS, requestArbitrary, type FuzzContext, type FuzzRequest } from './requests.js';

/**
 * Generated requests across every route: none may answer 5xx, every error must be problem+json,
 * and the database must be consistent afterwards. FUZZ_RUNS sets the count (1000 here, 5000 in
 * `npm run test:fuzz`); FUZZ_SEED and FUZZ_PATH replay one request of an earlier run; FUZZ_LOG=1
 * prints every request with its answer.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x100000000)) | 0;
const REPLAY_PATH = process.env.FUZZ_PATH;

let stack: TestStack;
let app: FastifyInstance;
const tokens = new Map<string, string>();
/** The server-side error of the request in flight, for the report (requests go one at a time). */
let lastError: string | undefined;

beforeAll(async () => {
  stack = await startTestStack();
  // The fuzz sends thousands of requests per token: the rate limit must not answer for the service.
  const config = testConfig({ DATABASE_URL: stack.db.url, TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue, RATE_LIMIT_PER_MINUTE: '100000' });
  app = await startTestApi(stack, config);
  app.addHook('onError', async (_request, _reply, error) => {
    lastError = `${error.name}: ${error.message}`.slice(0, 160);
  });
  for (const [name, actor] of Object.entries(FUZZ_ACTORS)) tokens.set(name, await signDevToken(stack.config, actor));
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

async function send(request: FuzzRequest): Promise<LightMyRequestResponse> {
  const { auth } = request;
  const authorization =
    'actor' in auth ? `Bearer ${tokens.get(auth.actor)}` : 'claims' in auth ? `Bearer ${await signDevToken(stack.config, auth.claims)}` : auth.header;
  const headers = authorization === undefined ? request.headers : { ...request.headers, authorization };
  return app.inject({ method: request.method, url: request.url, headers, ...(request.body === undefined ? {} : { payload: request.body }) });
}

/** What is wrong with an answer, if anything. */
function faultOf(request: FuzzRequest, response: LightMyRequestResponse): string | undefined {
  if (response.statusCode >= 500) return `answered ${response.statusCode}`;
  if (response.statusCode < 400) return undefined;
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) return `${response.statusCode} not problem+json (${response.headers['content-type']})`;
  if (request.method === 'HEAD') return undefined;
  let body: Record<string, unknown>;
  try {
    body = response.json();
  } catch {
    return `${response.statusCode} body is not JSON`;
  }
  const missing = ['type', 'title', 'code', 'detail', 'requestId'].filter((k) => typeof body[k] !== 'string');
  if (missing.length) return `${response.statusCode} problem lacks ${missing.join(', ')}`;
  if (body.status !== response.statusCode) return `${response.statusCode} problem says status ${String(body.status)}`;
  if (body.requestId !== response.headers['x-request-id']) return `${response.statusCode} requestId differs from X-Request-Id`;
  return undefined;
}

/** A request in one line: long strings and deep values shortened, lone surrogates escaped. */
function brief(request: FuzzRequest): string {
  const short = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);
  let body = '';
  if (Buffer.isBuffer(request.body)) body = ` body=<${request.body.length} bytes>`;
  else if (request.body !== undefined) {
    try {
      const depth = new WeakMap<object, number>();
      body = ` body=${short(JSON.stringify(JSON.parse(request.body), function (this: object, _k, v: unknown) {
        const d = (depth.get(this) ?? 0) + 1;
        if (typeof v === 'string') return short(v, 40);
        if (v && typeof v === 'object') {
          if (d > 6) return '…';
          depth.set(v, d);
        }
        return v;
      }), 400)}`;
    } catch {
      body = ` body(raw)=${JSON.stringify(short(request.body, 60))}`;
    }
  }
  const who = 'actor' in request.auth ? request.auth.actor : 'claims' in request.auth ? `claims${JSON.stringify(request.auth.claims).slice(0, 80)}` : `auth=${JSON.stringify(request.auth.header?.slice(0, 30))}`;
  const headers = Object.keys(request.headers).length ? ` headers=${short(JSON.stringify(request.headers), 160)}` : '';
  return `${request.method} ${short(request.url, 160)} as ${who}${headers}${body}`;
}

/** Real cursors, as the first pages give them out. */
async function listCursors(): Promise<string[]> {
  const cursors = [];
  for (const [actor, limit] of [['supervisor', 1], ['oversight', 2], ['coordinator', 1]] as const) {
    const page = await app.inject({ method: 'GET', url: `/v1/pathways?limit=${limit}`, headers: { authorization: `Bearer ${tokens.get(actor)}` } });
    const next = page.json<{ nextCursor?: string | null }>().nextCursor;
    if (next) cursors.push(next);
  }
  return cursors;
}

/** The actions the pathways offer each role now, with the example payloads they accept. */
async function offeredActions(ids: string[]): Promise<FuzzContext['examples']> {
  const offered = new Map<string, unknown>();
  for (const id of ids) {
    for (const actor of ['coordinator', 'staff', 'supervisor', 'coordinatorB', 'staffB', 'supervisorB']) {
      const read = await app.inject({ method: 'GET', url: `/v1/pathways/${id}`, headers: { authorization: `Bearer ${tokens.get(actor)}` } });
      if (read.statusCode !== 200) continue;
      for (const action of read.json<{ availableActions: { type: string; example: unknown }[] }>().availableActions) offered.set(action.type, action.example);
    }
  }
  return [...offered].map(([type, payload]) => ({ type, payload }));
}

interface Failure {
  count: number;
  run: number;
  example: string;
  error?: string;
  /** The hostile parts of the requests that failed so, and how often. */
  shapes: Map<string, number>;
}

/** Failures group by route, fault and the server's error without its values: about one group per bug. */
function groupOf(request: FuzzRequest, fault: string): string {
  const cause = fault.startsWith('answered 5') ? (lastError ?? '').replace(/"[^"]*"/g, '"…"').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>').replace(/\d+/g, '#') : '';
  return `${request.route} ${fault}${cause ? ` (${cause})` : ''}`;
}

/** After the run: no half-written pathway, every workflow's audit trail written, every chain verified. */
async function inconsistencies(): Promise<string[]> {
  const problems: string[] = [];
  const { rows: orphans } = await stack.db.pool.query<{ id: string }>(
    `select p.id from pathways p where not exists (select 1 from people where pathway_id = p.id)
        or not exists (select 1 from pathway_organisations where pathway_id = p.id)`,
  );
  for (const { id } of orphans) problems.push(`pathway ${id} has no people row or no organisation`);
  const { rows } = await stack.db.pool.query<{ id: string; operation: string }>('select id, operation from pathways');
  let behind = rows;
  const deadline = Date.now() + 30_000;
  // Audit entries are written by activities, a little after the answer: give them time.
  while (behind.length && Date.now() < deadline) {
    const lagging = [];
    for (const row of behind) {
      const version = await stateOf(stack.client, row.id).then((s) => s.version, () => Infinity);
      if ((await auditCount(stack, row.id)) < version) lagging.push(row);
    }
    behind = lagging;
    if (behind.length) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  for (const row of behind) {
    const audited = await auditCount(stack, row.id);
    const workflow = await stateOf(stack.client, row.id).then((s) => `workflow at version ${s.version}`, () => 'no workflow');
    problems.push(`pathway ${row.id} (operation ${JSON.stringify(row.operation).slice(0, 60)}): ${audited} audit entries, ${workflow}`);
  }
  for await (const check of checkAllChains(stack.db.pool)) {
    if (check.verified) continue;
    const { rows: entry } = await stack.db.pool.query(
      'select type, actor_id, request_id, action_id, data::text from audit_entries where pathway_id = $1 and seq = $2',
      [check.pathwayId, check.firstBroken?.seq],
    );
    problems.push(`audit chain of ${check.pathwayId} broken at ${JSON.stringify(check.firstBroken)}; entry ${JSON.stringify(entry[0] ?? null).slice(0, 240)}`);
  }
  return problems;
}

describe('generated requests', () => {
  it(`answers ${RUNS} generated requests with no 5xx, every error as problem+json, and leaves the database consistent`, { timeout: 180_000 + RUNS * 400 }, async () => {
    // A few real pathways, so that reads and actions also reach existing ones, of both organisations.
    // Templates declare their operations (and phases) in the fixed service; older ones named none.
    type Declared = { population: string; operations?: { name: string; phases?: string[] }[] };
    const declared = (programme: string) => stack.templates.get(programme) as unknown as Declared;
    const programmes = [...stack.templates.keys()];
    const operations = programmes.flatMap((p) => declared(p).operations ?? []);
    const operationOf = (programme: string) => declared(programme).operations?.[0]?.name ?? 'Zhusan';
    const arrivals = programmes.flatMap((programme) =>
      (declared(programme).operations ?? [{ name: 'Zhusan' }]).flatMap(({ name, phases }) =>
        (phases ?? [undefined]).map((phase) => ({ programme, operation: name, phase, childrenOnly: declared(programme).population === 'children' })),
      ),
    );
    const opened: string[] = [];
    for (const [actor, programme, age] of [['coordinator', 'KZ', 30], ['coordinator', 'UZ', 8], ['coordinator', 'KZ', 45], ['coordinatorB', 'KZ', 30]] as const) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/pathways',
        headers: { authorization: `Bearer ${tokens.get(actor)}` },
        payload: { programme, operation: operationOf(programme), arrivalDate: ARRIVAL, person: person(age, ARRIVAL) },
      });
      expect(response.statusCode, response.body).toBe(201);
      opened.push(response.json<{ id: string }>().id);
    }
    const doc = app.swagger() as unknown as JsonSchema & { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
    const [encoded] = await stack.codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"fuzz":1}') }]);
    const ctx: FuzzContext = {
      pathwayIds: opened,
      programmes,
      arrivals,
      cursors: await listCursors(),
      examples: await offeredActions(opened),
      operations: operations.length ? operations.map((o) => o.name) : ['Zhusan'],
      phases: [...new Set(operations.flatMap((o) => o.phases ?? []))],
      codecBody: { schema: doc.paths['/codec/decode']!.post!.requestBody!.content['application/json']!.schema, root: doc },
      encodedWire: { payloads: [{ metadata: Object.fromEntries(Object.entries(encoded!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(encoded!.data!).toString('base64') }] },
      namespace: stack.config.temporal.namespace,
    };

    console.log(`fuzz: ${RUNS} runs, seed ${SEED}${REPLAY_PATH ? `, replaying path ${REPLAY_PATH}` : ''}`);
    const failures = new Map<string, Failure>();
    const seen = new Map<string, Record<string, number>>();
    let run = -1;
    const started = Date.now();
    await fc.assert(
      // fast-check prints a failing request the short way too (bodies can hold 100k characters).
      fc.asyncProperty(requestArbitrary(ctx).map((r) => Object.assign(r, { [fc.toStringMethod]: () => brief(r) })), async (request) => {
        run += 1;
        lastError = undefined;
        let fault: string | undefined;
        let status = 'threw';
        try {
          const response = await send(request);
          status = String(response.statusCode);
          if (process.env.FUZZ_LOG) console.log(`${status} ${brief(request)}\n    ${response.body.slice(0, 300)}`);
          fault = faultOf(request, response);
        } catch (error) {
          fault = `inject threw ${String(error).slice(0, 100)}`;
        }
        // Which routes were reached and how they answered: shows the fuzz gets past validation too.
        const statuses = seen.get(request.route) ?? {};
        statuses[status] = (statuses[status] ?? 0) + 1;
        seen.set(request.route, statuses);
        if (!fault) return;
        // Replaying one request: fail, so fast-check prints it with the seed and path.
        if (REPLAY_PATH) throw new Error(`${fault}: ${brief(request)}\n${lastError ?? ''}`);
        const key = groupOf(request, fault);
        const failure = failures.get(key) ?? { count: 0, run, example: brief(request), error: fault.startsWith('answered 5') ? lastError : undefined, shapes: new Map() };
        const shape = `[${[...new Set(request.tags)].sort().join(', ')}]`;
        failure.count += 1;
        failure.shapes.set(shape, (failure.shapes.get(shape) ?? 0) + 1);
        failures.set(key, failure);
      }),
      { numRuns: RUNS, seed: SEED, ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}), endOnFailure: true },
    );
    console.log(`fuzz: ${run + 1} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; answers per route:\n${[...seen].map(([route, st]) => `  ${route} ${JSON.stringify(st)}`).join('\n')}`);

    const report = [...failures].map(([key, f]) => {
      const shapes = [...f.shapes].slice(0, 4).map(([shape, n]) => `${shape.slice(0, 160)} ×${n}`).join('; ');
      return `- ${key} ×${f.count}\n    inputs: ${shapes}${f.shapes.size > 4 ? `; …${f.shapes.size - 4} more` : ''}\n    e.g. (FUZZ_PATH=${f.run}) ${f.example}${f.error ? `\n    server: ${f.error}` : ''}`;
    });
    const problems = REPLAY_PATH ? [] : await inconsistencies();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const unfuzzed = RUNS >= 200 ? documented.filter((route) => !seen.has(route)) : [];
    const message = [
      `Seed ${SEED}; replay one request with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_PATH=<run> npx vitest run test/fuzz`,
      ...(report.length ? [`${failures.size} distinct failures:`, ...report] : []),
      ...(problems.length ? ['Database inconsistencies after the run:', ...problems.map((p) => `- ${p}`)] : []),
      ...(unfuzzed.length ? [`Documented routes the fuzz never reached: ${unfuzzed.join(', ')}`] : []),
    ].join('\n');
    expect(report.length + problems.length + unfuzzed.length, message).toBe(0);
  });
});
