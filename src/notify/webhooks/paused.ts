import { raiseNotification } from '../../db/notifications.js';
import { pauseWebhook } from '../../db/webhooks.js';
import { databaseAudience } from '../catalogue.js';
import type { WebhookDeps } from './deps.js';

/**
 * Pauses a hook whose receiver has failed for NOTIFY_GIVE_UP_SECONDS: what waits for it is held,
 * not lost, and its organisation's supervisors are told in the inbox, once per pause.
 */
export async function pauseFailingHook(deps: WebhookDeps, webhookId: string, lastError: string): Promise<void> {
  const { paused, organisation } = await pauseWebhook(deps.pool, webhookId, lastError);
  if (!paused || !organisation) return;
  deps.logger.warn('webhook paused: its receiver kept failing', { webhookId, organisation });
  await raiseNotification(deps.pool, {
    eventKey: `webhook-paused:${webhookId}:${paused.toISOString()}`,
    kind: 'webhook-paused',
    organisation,
    data: { webhookId },
    audience: databaseAudience['webhook-paused'](organisation),
  });
}
