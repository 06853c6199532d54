import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { createVerifier, signDevToken } from '../../src/api/auth.js';
import type { Config } from '../../config/index.js';
import type { Actor } from '../../src/domain/model.js';
import type { TestStack } from './stack.js';

/** The real API on the stack's servers, driven with inject. */
export async function startTestApi(stack: TestStack, config: Config = stack.config): Promise<FastifyInstance> {
  return buildApp({
    config,
    logger: stack.logger,
    pool: stack.db.pool,
    client: stack.client,
    codec: stack.codec,
    templates: stack.templates,
    verifier: await createVerifier(config),
  });
}

export async function tokenFor(stack: TestStack, actor: Actor): Promise<string> {
  return signDevToken(stack.config, actor);
}

/** A request as `actor`. */
export async function call(app: FastifyInstance, stack: TestStack, actor: Actor, options: InjectOptions) {
  const token = await tokenFor(stack, actor);
  return app.inject({ ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
}
