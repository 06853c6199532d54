import type { Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';

/** One notifier per task queue: every worker asks, the first one starts it, the others find it running. */
export const notifierId = (config: Config) => `notifier-${config.temporal.taskQueue}`;

export async function startNotifier(client: Client, config: Config): Promise<void> {
  await client.workflow.start('notifier', {
    workflowId: notifierId(config),
    taskQueue: config.temporal.taskQueue,
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
