import type { FastifyRequest } from 'fastify';
import { rememberPerson } from '../db/people-seen.js';
import { contactOf } from './auth.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../logger.js';

/** How long a person is not written again after they were: a sign-in is news, each request is not. */
const REMEMBERED_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;

/**
 * Records each signed-in person in `people_seen` (who may be assigned work), at most once every
 * ten minutes per person and role. The request does not wait for it (a database that hangs must not
 * hang sign-ins); a failure is logged and the person written on a later request.
 */
export function rememberPeople(pool: Pool, logger: Logger) {
  const written = new Map<string, number>();
  return async (request: FastifyRequest) => {
    const actor = request.actor;
    const contact = contactOf(actor);
    const key = JSON.stringify([actor.org, actor.id, actor.role, contact.email, contact.language]);
    const at = written.get(key);
    if (at !== undefined && Date.now() - at < REMEMBERED_MS) return;
    if (written.size >= MAX_REMEMBERED) written.delete(written.keys().next().value!);
    written.set(key, Date.now());
    void rememberPerson(pool, actor, contact).catch((error: unknown) => {
      written.delete(key);
      logger.warn({ err: error }, 'could not record a signed-in person');
    });
  };
}
