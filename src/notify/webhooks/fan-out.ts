import { fanOutToWebhooks } from '../../db/webhook-deliveries.js';
import type { WebhookDeps } from './deps.js';

const BATCH = 200;
/** Batches per call: a burst of notifications is fanned out over a few rounds, so one round stays short. */
const MAX_BATCHES = 10;

/** Every new notification becomes one delivery per hook of each organisation in its audience. */
export async function fanOutWebhooks(deps: WebhookDeps): Promise<void> {
  for (let i = 0; i < MAX_BATCHES; i++) {
    const looked = await fanOutToWebhooks(deps.pool, BATCH);
    if (looked < BATCH) return;
  }
}
