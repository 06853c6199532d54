// People who sign in with an address and a language, as an identity provider's tokens say, and
// the API as each of them: every request carries the same claims, as it would in real life.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { tokenFor } from '../helpers/api.js';
import type { TestStack } from '../helpers/stack.js';
import type { ReceivedMail } from '../helpers/smtp-receiver.js';

/** Where a person's e-mail goes: their id at their organisation. */
export const addressOf = (actor: Actor) => `${actor.id}@${actor.org}.example.org`;

export interface Contact {
  email?: string;
  locale?: string;
}

export function apiWithContacts(running: () => { app: FastifyInstance; stack: TestStack }, contactOf: (actor: Actor) => Contact) {
  const send = async (actor: Actor, options: InjectOptions) => {
    const { app, stack } = running();
    const token = await tokenFor(stack, actor, contactOf(actor));
    return app.inject({ ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
  };
  return {
    send,
    act: (actor: Actor, id: string, type: string, payload: unknown = {}) => send(actor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type, payload } }),
    post: (actor: Actor, url: string, payload: unknown) => send(actor, { method: 'POST', url, payload: payload as object }),
    /** Each person signs in once and is known, with their address, before anything is told. */
    async signIn(...actors: Actor[]) {
      const { stack } = running();
      for (const actor of actors) {
        expect((await send(actor, { method: 'GET', url: '/v1/organisations' })).statusCode).toBe(200);
        const email = contactOf(actor).email ?? null;
        for (let tries = 0; ; tries++) {
          const { rows } = await stack.db.pool.query('select email from people_seen where organisation = $1 and subject = $2', [actor.org, actor.id]);
          if (rows[0] && rows[0].email === email) break;
          if (tries > 200) throw new Error(`${actor.id} was not recorded with their address`);
          await sleep(20);
        }
      }
    },
  };
}

/** Waits until `ready` holds. */
export async function waitFor(ready: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await sleep(100);
  }
}

/** Every e-mail delivery is settled: none pending or being sent. */
export async function settled(stack: TestStack): Promise<boolean> {
  const { rows } = await stack.db.pool.query<{ open: number; unfanned: number }>(
    `select (select count(*)::int from notification_deliveries where channel = 'email' and status in ('pending', 'sending')) as open,
            (select count(*)::int from notifications where emails_fanned_at is null) as unfanned`,
  );
  return rows[0]!.open === 0 && rows[0]!.unfanned === 0;
}

/** Everything a message holds, decoded: subject, text, HTML and the raw message. */
export const wholeMessage = (mail: ReceivedMail) => [mail.subject, mail.text, mail.html, mail.raw].join('\n');
