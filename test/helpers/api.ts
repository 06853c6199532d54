import { afterAll, beforeAll, expect } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { createVerifier, signDevToken } from '../../src/api/auth.js';
import type { Config } from '../../config/index.js';
import type { Actor } from '../../src/domain/model.js';
import { startTestStack, type TestStack } from './stack.js';

/** The real API on the stack's servers, driven with inject. */
export async function startTestApi(stack: TestStack, config: Config = stack.config, options: Parameters<typeof buildApp>[1] = {}): Promise<FastifyInstance> {
  return buildApp(
    {
      config,
      logger: stack.logger,
      pool: stack.db.pool,
      client: stack.client,
      codec: stack.codec,
      templates: stack.templates,
      verifier: await createVerifier(config),
    },
    options,
  );
}

/** A token for `actor`; `contact` adds the e-mail and locale claims an identity provider would send. */
export async function tokenFor(stack: TestStack, actor: Actor, contact?: { email?: string; locale?: string }): Promise<string> {
  return signDevToken(stack.config, actor, '12h', contact);
}

/** A request as `actor`. */
export async function call(app: FastifyInstance, stack: TestStack, actor: Actor, options: InjectOptions) {
  const token = await tokenFor(stack, actor);
  return app.inject({ ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
}

/** Checks an answer is the RFC 9457 problem the catalogue promises, without internals; returns its body. */
export function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body).toMatchObject({ type: `/problems/${code}`, status, code, title: expect.any(String), detail: expect.any(String), requestId: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  // Each fault as data, for a client to tell in its language: where (a JSON pointer), what (a code), with which values.
  expect(body.errors.length).toBeGreaterThan(0);
  for (const error of body.errors) expect(error).toMatchObject({ pointer: expect.stringMatching(/^(\/.*)?$/), code: expect.any(String), params: expect.any(Object) });
  return body;
}

/**
 * The stack and API one test file runs on: started before its tests, stopped after them. `bind`
 * hands them to the file's own variables.
 */
export function useApiStack(bind: (stack: TestStack, app: FastifyInstance) => void, options: Parameters<typeof startTestStack>[0] = {}) {
  let stack: TestStack | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options);
    app = await startTestApi(stack);
    bind(stack, app);
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });
}
