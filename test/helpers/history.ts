import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { workflowIdOf } from '../../src/domain/model.js';

/** Every run of a pathway's workflow (continue-as-new starts a new run), oldest first. */
export async function pathwayRuns(client: Client, pathwayId: string): Promise<{ runId: string; history: temporal.api.history.v1.IHistory }[]> {
  const runs: { runId: string; startTime: Date }[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = "${workflowIdOf(pathwayId)}"` })) {
    runs.push({ runId: run.runId, startTime: run.startTime });
  }
  runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  return Promise.all(
    runs.map(async ({ runId }) => ({ runId, history: await client.workflow.getHandle(workflowIdOf(pathwayId), runId).fetchHistory() })),
  );
}

/** How many actions (Temporal Updates) the workflow accepted, over all its runs. */
export async function acceptedUpdates(client: Client, pathwayId: string): Promise<number> {
  const runs = await pathwayRuns(client, pathwayId);
  return runs
    .flatMap((run) => run.history.events ?? [])
    .filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length;
}

const isPatchMarker = (record: Record<string, unknown>) => (record.markerRecordedEventAttributes as { markerName?: string } | undefined)?.markerName === 'core_patch';

/**
 * Every payload of every event, wherever it sits in the history. Search attributes are not payloads
 * of ours, and neither are the SDK's patch markers (`patched()`), which hold only the patch's name.
 */
export function payloadsOf(history: unknown, which: 'ours' | 'patch-markers' = 'ours'): Payload[] {
  const found: Payload[] = [];
  const walk = (node: unknown, inMarker: boolean) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((child) => walk(child, inMarker));
    const record = node as Record<string, unknown>;
    const marker = inMarker || isPatchMarker(record);
    if ('metadata' in record && record.metadata && 'data' in record && marker === (which === 'patch-markers')) found.push(record as Payload);
    for (const [key, child] of Object.entries(record)) if (key !== 'searchAttributes') walk(child, marker);
  };
  walk(history, false);
  return found;
}

