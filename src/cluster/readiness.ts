import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

/** A poller seen this recently is alive: idle workers long-poll for about a minute. */
const FRESH_MS = 90_000;

/**
 * Which of the given worker processes poll the task queue for workflow tasks, by the identity the
 * SDK gives each worker (`<pid>@<host>`).
 */
export async function pollingWorkers(address: string, namespace: string, taskQueue: string, pids: number[]): Promise<number[]> {
  const connection = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const fresh = pollers.filter((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 > Date.now() - FRESH_MS).map((p) => p.identity ?? '');
    return pids.filter((pid) => fresh.some((identity) => identity.startsWith(`${pid}@`)));
  } catch {
    return [];
  } finally {
    await connection.close();
  }
}
