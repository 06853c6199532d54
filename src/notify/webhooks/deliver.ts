import { claimDue, markHeld, markRetry, markSent, markSkipped } from '../../db/deliveries.js';
import { endTurn, receiverAnswered, receiverFailed, recordAttempt, releaseDeliveries, takeTurn, webhookTargets, type WebhookTarget } from '../../db/webhooks.js';
import type { ClaimedDelivery } from '../types.js';
import { consoleUrl, type WebhookDeps } from './deps.js';
import { pauseFailingHook } from './paused.js';
import { payloadOf, signedHeaders } from './payload.js';
import { send, SEND_TIMEOUT_MS } from './send.js';

/** Deliveries claimed per round, over all hooks. */
const CLAIM = 40;
/** At most this many requests a second to one receiver, one at a time. */
export const REQUESTS_PER_SECOND = 4;
/** One hook's share of a round: the rest waits for the next round, so a slow receiver does not hold the others' turn. */
const PER_HOOK_PER_ROUND = 10;
const ROUND_BUDGET_MS = 20_000;
/** A hook's turn outlasts its round: the budget, one more request's timeout, and a margin. */
const TURN_SECONDS = ROUND_BUDGET_MS / 1000 + SEND_TIMEOUT_MS / 1000 + 10;

/** When each hook was last sent to by this process: the spacing carries over from round to round. */
const lastRequestAt = new Map<string, number>();

async function spaced(hookId: string): Promise<void> {
  const wait = (lastRequestAt.get(hookId) ?? 0) + 1000 / REQUESTS_PER_SECOND - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  lastRequestAt.set(hookId, Date.now());
}

/**
 * Sends what is due to the hooks' receivers, signed: every hook in parallel, each one request at a
 * time. A 2xx answer is a delivery; anything else is retried with the core's back-off, and a
 * receiver failing for NOTIFY_GIVE_UP_SECONDS pauses its hook (see pauseFailingHook).
 */
export async function deliverWebhooks(deps: WebhookDeps): Promise<void> {
  const claimed = await claimDue(deps.pool, 'webhook', CLAIM);
  if (!claimed.length) return;
  const byHook = new Map<string, ClaimedDelivery[]>();
  for (const delivery of claimed) byHook.set(delivery.target, [...(byHook.get(delivery.target) ?? []), delivery]);
  const hooks = await webhookTargets(deps.pool, [...byHook.keys()]);
  await Promise.all([...byHook].map(([id, deliveries]) => deliverToHook(deps, id, hooks.get(id), deliveries)));
}

async function deliverToHook(deps: WebhookDeps, id: string, hook: WebhookTarget | undefined, deliveries: ClaimedDelivery[]): Promise<void> {
  const { pool } = deps;
  if (!hook) {
    for (const delivery of deliveries) await markSkipped(pool, delivery.id, 'webhook deleted');
    return;
  }
  // Switched off or paused since these were made: kept until it is switched on or resumed.
  if (!hook.enabled || hook.pausedAt) {
    for (const delivery of deliveries) await markHeld(pool, delivery.id);
    return;
  }
  // Its receiver is failing: these wait for the next knock, with the others.
  if (hook.nextProbeAt && hook.nextProbeAt.getTime() > Date.now()) {
    await releaseDeliveries(pool, deliveries.map((d) => d.id), hook.nextProbeAt);
    return;
  }
  if (!(await takeTurn(pool, id, TURN_SECONDS))) {
    await releaseDeliveries(pool, deliveries.map((d) => d.id));
    return;
  }
  try {
    await sendInTurn(deps, id, hook, deliveries);
  } finally {
    await endTurn(pool, id);
  }
}

/** One request at a time, spaced, until one fails (the rest then wait for the next knock) or the round's share is used. */
async function sendInTurn(deps: WebhookDeps, id: string, hook: WebhookTarget, deliveries: ClaimedDelivery[]): Promise<void> {
  const { pool } = deps;
  const started = Date.now();
  for (const [index, delivery] of deliveries.entries()) {
    if (index >= PER_HOOK_PER_ROUND || Date.now() - started > ROUND_BUDGET_MS) {
      await releaseDeliveries(pool, deliveries.slice(index).map((d) => d.id));
      return;
    }
    await spaced(id);
    const body = JSON.stringify(payloadOf(delivery.notification, consoleUrl(deps.config)));
    const result = await send(hook.url, body, signedHeaders(delivery.id, body, hook.secrets));
    await recordAttempt(pool, { webhookId: id, deliveryId: delivery.id, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs });
    if (result.ok) {
      await markSent(pool, delivery.id);
      if (hook.failingSince) await receiverAnswered(pool, id);
      hook.failingSince = null;
      hook.nextProbeAt = null;
      continue;
    }
    const error = result.error ?? 'failed';
    const { failingSince, nextProbeAt } = await receiverFailed(pool, id, deps.config.notify.retryMaxSeconds);
    await markRetry(pool, delivery.id, error, deps.config.notify.retryMaxSeconds);
    const rest = deliveries.slice(index + 1).map((d) => d.id);
    if (Date.now() - failingSince.getTime() >= deps.config.notify.giveUpSeconds * 1000) {
      await pauseFailingHook(deps, id, error);
    }
    await releaseDeliveries(pool, rest, nextProbeAt);
    deps.logger.info('webhook delivery failed; retrying later', { webhookId: id, deliveryId: delivery.id, attempts: delivery.attempts + 1, error });
    return;
  }
}
