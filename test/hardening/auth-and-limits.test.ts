import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../src/api/auth.js';
import type { Actor } from '../../src/domain/model.js';
import { startTestApi } from '../helpers/api.js';
import { startTestStack, TEST_JWT_SECRET, testConfig, type TestStack } from '../helpers/stack.js';

const LIMIT = 3;
let stack: TestStack;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  app = await startTestApi(stack, testConfig({ DATABASE_URL: stack.db.url, RATE_LIMIT_PER_MINUTE: String(LIMIT) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

/** A supervisor of their own, so each test spends a budget no other test touches. */
const supervisor = (id: string): Actor => ({ id, role: 'supervisor', org: 'akniet' });
const now = () => Math.floor(Date.now() / 1000);

async function tokenWith(claims: { sub?: string; iat?: number; exp?: number }): Promise<string> {
  const jwt = new SignJWT({ role: 'supervisor', org: 'akniet', ...claims }).setProtectedHeader({ alg: 'HS256' });
  return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

/** `count` requests from one address; their statuses. */
async function statuses(count: number, options: InjectOptions): Promise<number[]> {
  const answers = [];
  for (let i = 0; i < count; i++) answers.push((await app.inject(options)).statusCode);
  return answers;
}

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.body);
  expect(body).toMatchObject({ type: `/problems/${code}`, status, code, title: expect.any(String), detail: expect.any(String), requestId: expect.any(String) });
  return body;
}

/** A raw HTTP/1.1 exchange over a real socket, past `inject`, so Node's own parser reads the request. */
async function raw(request: string): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve(received));
    socket.on('error', (error: NodeJS.ErrnoException) => (received ? resolve(received) : reject(error)));
  });
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { statusCode: Number(statusLine.split(' ')[1]), headers, body };
}

const get = (url: string, headers: Record<string, string> = {}) =>
  `GET ${url} HTTP/1.1\r\nHost: localhost\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: close\r\n\r\n`;

describe('the rate limit', () => {
  it('limits requests without a token by address, with a problem and Retry-After', async () => {
    const request: InjectOptions = { method: 'GET', url: '/v1/reports/caseload', remoteAddress: '10.1.0.1' };
    expect(await statuses(LIMIT + 1, request)).toEqual([401, 401, 401, 429]);
    const limited = await app.inject(request);
    expectProblem(limited, 429, 'rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address has its own budget, and a verified caller from the limited one has theirs.
    expect((await app.inject({ ...request, remoteAddress: '10.1.0.2' })).statusCode).toBe(401);
    const token = await signDevToken(stack.config, supervisor('sue-no-token'));
    expect((await app.inject({ ...request, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
  });

  it('limits requests with a bad, forged or malformed token by address', async () => {
    const forged = await new SignJWT({ role: 'supervisor', org: 'akniet' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-xx'));
    const headers = ['Bearer not-a-jwt', `Bearer ${forged}`, 'Basic bWFsbG9yeTpzZWNyZXQ=', `Bearer ${forged}`, `Bearer ${forged}x`];
    const answers = [];
    for (const authorization of headers) answers.push((await app.inject({ method: 'GET', url: '/v1/pathways', headers: { authorization }, remoteAddress: '10.2.0.1' })).statusCode);
    expect(answers).toEqual([401, 401, 401, 429, 429]);
  });

  it('keys on the verified subject: an exhausted caller gets no 200 with another spelling of the header or a new token', async () => {
    const actor = supervisor('sue-exhausted');
    const token = await signDevToken(stack.config, actor);
    const url = '/v1/reports/caseload';
    expect(await statuses(LIMIT, { method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).toEqual([200, 200, 200]);
    for (const authorization of [`Bearer  ${token}`, `Bearer ${token}  `, `Bearer ${token}\t`, `bearer ${token}`, ` Bearer ${token}`]) {
      const response = await app.inject({ method: 'GET', url, headers: { authorization }, remoteAddress: '10.3.0.1' });
      expect([401, 429], authorization).toContain(response.statusCode);
    }
    // A malformed header is refused as such, whatever token it carries.
    expectProblem(await app.inject({ method: 'GET', url, headers: { authorization: `Bearer  ${token}` }, remoteAddress: '10.3.0.2' }), 401, 'unauthorized');
    // The same subject with a freshly issued token shares the budget.
    const fresh = await tokenWith({ sub: actor.id, iat: now() - 5, exp: now() + 600 });
    expectProblem(await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${fresh}` } }), 429, 'rate-limited');
    // Over a real socket Node trims the trailing spaces: the token is read, and it is exhausted.
    expect((await raw(get(url, { authorization: `Bearer ${token}   ` }))).statusCode).toBe(429);
    // Another subject is not affected.
    expect((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await signDevToken(stack.config, supervisor('sue-other'))}` } })).statusCode).toBe(200);
  });

  it('limits unknown URLs by address, and keeps public routes unlimited', async () => {
    expect(await statuses(LIMIT + 1, { method: 'GET', url: '/v1/nothing-here', remoteAddress: '10.4.0.1' })).toEqual([404, 404, 404, 429]);
    for (const url of ['/healthz', '/openapi.json']) expect(await statuses(LIMIT + 2, { method: 'GET', url, remoteAddress: '10.4.0.1' })).toEqual(Array(LIMIT + 2).fill(200));
  });

  it('still answers 403 to a role the route does not allow', async () => {
    const staff: Actor = { id: 'sam-roles', role: 'staff', org: 'akniet' };
    const response = await app.inject({ method: 'GET', url: '/v1/reports/caseload', headers: { authorization: `Bearer ${await signDevToken(stack.config, staff)}` } });
    expect(expectProblem(response, 403, 'forbidden').reason).toBe('wrong-role');
  });
});

describe('tokens', () => {
  const read = async (token: string, remoteAddress: string): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'GET', url: '/v1/pathways', headers: { authorization: `Bearer ${token}` }, remoteAddress });

  it('refuses a token without exp or without iat', async () => {
    const noExp = expectProblem(await read(await tokenWith({ sub: 'no-exp', iat: now() }), '10.5.0.1'), 401, 'unauthorized');
    expect(noExp.detail).toBe('The token must carry iat and exp.');
    expectProblem(await read(await tokenWith({ sub: 'no-iat', exp: now() + 600 }), '10.5.0.2'), 401, 'unauthorized');
  });

  it('refuses a token issued in the future beyond a minute, or issued more than a day ago', async () => {
    const future = await read(await tokenWith({ sub: 'future', iat: now() + 3600, exp: now() + 7200 }), '10.6.0.1');
    expect(expectProblem(future, 401, 'unauthorized').detail).toBe('The token is not valid.');
    expect(future.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    const old = await read(await tokenWith({ sub: 'old', iat: now() - 25 * 3600, exp: now() + 3600 }), '10.6.0.2');
    expect(expectProblem(old, 401, 'unauthorized').detail).toBe('The token has expired.');
    // A clock a little ahead of ours is tolerated.
    expect((await read(await tokenWith({ sub: 'skewed', iat: now() + 30, exp: now() + 600 }), '10.6.0.3')).statusCode).toBe(200);
  });

  it('refuses a token once it expires, though it was accepted moments before', async () => {
    // Expired 58 s ago: still within the minute of clock tolerance, and out of it two seconds later.
    const expiring = await tokenWith({ sub: 'expiring', iat: now() - 600, exp: now() - 58 });
    expect((await read(expiring, '10.7.0.1')).statusCode).toBe(200);
    await sleep(3000);
    expect(expectProblem(await read(expiring, '10.7.0.1'), 401, 'unauthorized').detail).toBe('The token has expired.');
  });

  it('gives development tokens for a day at most', async () => {
    await expect(signDevToken(stack.config, supervisor('long'), '30d')).rejects.toThrow(/24h at most/);
    expect(await signDevToken(stack.config, supervisor('day'), '24h')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});

describe('requests refused before routing', () => {
  it('answers a bad percent-encoding in the path with a 400 problem', async () => {
    const injected = await app.inject({ method: 'GET', url: '/v1/pathways/%E0%A4%A', remoteAddress: '10.7.0.1' });
    expectProblem(injected, 400, 'validation-failed');
    expect(injected.headers['x-request-id']).toBe(JSON.parse(injected.body).requestId);
    expectProblem(await raw(get('/v1/pathways/%E0%A4%A')), 400, 'validation-failed');
  });

  it('answers a URL too long with a 414 problem', async () => {
    // A path parameter over Fastify's maxParamLength…
    expectProblem(await app.inject({ method: 'GET', url: `/v1/pathways/${'a'.repeat(200)}` }), 414, 'uri-too-long');
    // …and a request line over what Node's parser takes.
    const response = await raw(get(`/v1/pathways?operation=${'a'.repeat(20_000)}`));
    expectProblem(response, 414, 'uri-too-long');
    expect(response.headers['x-request-id']).toBe(JSON.parse(response.body).requestId);
  });

  it('answers headers over the limit with a 431 problem', async () => {
    expectProblem(await raw(get('/v1/pathways', { 'x-filler': 'a'.repeat(20_000) })), 431, 'headers-too-large');
    const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`x-filler-${i}`, 'a'.repeat(60)]));
    expectProblem(await raw(get('/healthz', many)), 431, 'headers-too-large');
  });

  it('answers a request that is not HTTP with a 400 problem', async () => {
    expectProblem(await raw('NOT HTTP AT ALL\r\n\r\n'), 400, 'validation-failed');
  });
});
