import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createVerifier } from '../../src/api/auth.js';
import { expectProblem, useApiStack } from '../helpers/api.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)), { worker: false, env: { TEMPORAL_UI_URL: 'http://127.0.0.1:8233' } });

const devToken = (id: string, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'POST', url: '/console/dev-token', payload: { id }, headers: { host: '127.0.0.1:3000', ...headers }, remoteAddress });

/** The same API as production builds it (the verifier aside, which needs an identity provider there). */
async function productionApp(): Promise<FastifyInstance> {
  return buildApp({
    config: { ...stack.config, mode: 'production' },
    logger: stack.logger,
    pool: stack.db.pool,
    client: stack.client,
    codec: stack.codec,
    templates: stack.templates,
    verifier: await createVerifier(stack.config),
  });
}

describe('the console as served', () => {
  it('serves its page with a policy allowing this origin only, its files by hash, and a file per language', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['cache-control']).toBe('no-store');
    const script = /src="(\/assets\/console-[\w-]+\.js)"/.exec(page.body)![1]!;
    const asset = await app.inject({ method: 'GET', url: script });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    const again = await app.inject({ method: 'GET', url: '/locales/ru.json', headers: { 'if-none-match': (await app.inject({ method: 'GET', url: '/locales/ru.json' })).headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const config = (await app.inject({ method: 'GET', url: '/console/config.json' })).json();
    expect(config.languages.map((l: { code: string }) => l.code)).toEqual(['en', 'ru']);
    expect(config.temporalUi.pathwayUrl).toBe('http://127.0.0.1:8233/namespaces/' + stack.config.temporal.namespace + '/workflows/pathway-PATHWAYID');
    expectProblem(await app.inject({ method: 'GET', url: '/locales/..%2Fpackage.json' }), 404, 'not-found');
    expectProblem(await app.inject({ method: 'GET', url: '/assets/console-nothing.js' }), 404, 'not-found');
  });

  it('gives a development identity a token that the API accepts, to a browser on this machine only', async () => {
    const given = await devToken('staff.mlsp');
    expect(given.statusCode).toBe(200);
    const worklist = await app.inject({ method: 'GET', url: '/v1/worklist', headers: { authorization: `Bearer ${given.json().token}` } });
    expect(worklist.statusCode).toBe(200);
    expectProblem(await devToken('staff.mlsp', { host: 'pathways.example.org' }), 403, 'forbidden');
    expectProblem(await devToken('staff.mlsp', {}, '10.0.0.5'), 403, 'forbidden');
    expectProblem(await devToken('root.mlsp'), 400, 'validation-failed');
  });

  it('in production offers no development identity, no token route, and no decoding without a token', async () => {
    const production = await productionApp();
    try {
      const config = (await production.inject({ method: 'GET', url: '/console/config.json' })).json();
      expect(config.signIn.kind).not.toBe('development');
      expect((await production.inject({ method: 'POST', url: '/console/dev-token', payload: { id: 'supervisor.oversight' }, headers: { host: '127.0.0.1' } })).statusCode).toBe(404);
      const decode = await production.inject({
        method: 'POST',
        url: '/codec/decode',
        payload: { payloads: [] },
        headers: { origin: 'http://127.0.0.1:8233', host: '127.0.0.1:3000' },
      });
      expectProblem(decode, 401, 'unauthorized');
    } finally {
      await production.close();
    }
  });
});
