import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

// Unlimited tries: PostgreSQL away delays notifications, never ends their delivery.
const { dispatchNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** Rounds of one activity before the history starts afresh. */
const ROUNDS_PER_RUN = 60;

/** Delivers notifications for one task queue, for as long as the namespace lives. */
export async function notifier(): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN; round++) await dispatchNotifications();
  await continueAsNew<typeof notifier>();
}
