// The delivery loop the `notifier` workflow runs as an activity: it sweeps what the database
// raised, writes the e-mails each notification needs, then lets each channel send what is due.
// Every step's state is in PostgreSQL, so an activity that dies is simply run again.
import { Context } from '@temporalio/activity';
import { fanOutEmails } from '../db/deliveries.js';
import type { NotifyDeps } from './deps.js';
import { sweepDatabaseEvents } from './sweep.js';
import { deliverWebhooks, fanOutWebhooks } from './webhooks/index.js';
import { deliverEmails } from './email/deliver.js';
import { sendDigests } from './email/digest.js';

export type { NotifyDeps };

type Step = readonly [name: string, run: (deps: NotifyDeps) => Promise<unknown>];

/** In order; a step that fails is logged and the others go on (one channel down stops no other). */
export const STEPS: readonly Step[] = [
  ['sweep', ({ pool, config }) => sweepDatabaseEvents(pool, { oversight: config.auth.oversightOrg, reviewDueSeconds: config.notify.reviewDueSeconds })],
  ['fan-out e-mails', ({ pool, config }) => fanOutEmails(pool, config.notify.operators)],
  ['fan-out webhooks', fanOutWebhooks],
  ['e-mails', deliverEmails],
  ['deliver webhooks', deliverWebhooks],
  ['digests', sendDigests],
];

/** How long one activity runs before it hands back to the workflow (which counts its rounds). */
const ROUND_MS = 60_000;

export async function dispatchRound(deps: NotifyDeps): Promise<void> {
  for (const [name, run] of STEPS) {
    try {
      await run(deps);
    } catch (error) {
      deps.logger.warn(`notifications: ${name} failed; trying again next round`, { error: String(error) });
    }
  }
}

/**
 * Rounds every `intervalMs` for about a minute, heartbeating. Hands back at once when the worker
 * begins to stop (`stopping`): Temporal would otherwise cancel it only when the worker's grace
 * time runs out, holding the shutdown that long.
 */
export async function dispatchNotifications(deps: NotifyDeps, stopping?: AbortSignal): Promise<void> {
  const context = Context.current();
  const until = Date.now() + ROUND_MS;
  const stopped = new Promise<void>((resolve) => stopping?.addEventListener('abort', () => resolve(), { once: true }));
  while (Date.now() < until && !stopping?.aborted) {
    context.heartbeat();
    await dispatchRound(deps);
    const pause = context.sleep(deps.config.notify.intervalMs);
    // A cancellation after the race is over has nobody to tell.
    pause.catch(() => undefined);
    await Promise.race([pause, stopped]);
  }
}
