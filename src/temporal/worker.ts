import path from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle, type WorkflowBundleOption } from '@temporalio/worker';
import { PROJECT_ROOT, type Config } from '../../config/index.js';
import { createActivities } from '../../activities/index.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { temporalConnectionOptions } from './connection.js';
import { temporalLogger } from './logging.js';

const WORKFLOWS_PATH = path.join(PROJECT_ROOT, 'workflows', 'index.ts');

/** Bundles the workflow code once (webpack); pass the result to every worker of the process. */
export async function bundleWorkflows(logger: Logger): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    // Webpack's build statistics are noise in the service's log.
    logger: temporalLogger(logger.child({ component: 'bundler' }, { level: 'warn' })),
    // Sources import './x.js' (ESM style) while the files are './x.ts'.
    webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } } }),
  });
}

export interface PathwayWorker {
  worker: Worker;
  /** Resolves when the worker has stopped: after shutdown() or a fatal error. */
  running: Promise<void>;
  /** Stops polling, lets running tasks finish (up to the grace time), then closes the connection. */
  stop(): Promise<void>;
}

/** Starts a worker that runs pathway workflows and their activities. */
export async function startWorker(options: {
  config: Config;
  address: string;
  pool: Pool;
  bundle: WorkflowBundleOption;
  codec: PayloadCodec;
  taskQueue?: string;
}): Promise<PathwayWorker> {
  const { config } = options;
  const connection = await NativeConnection.connect(await temporalConnectionOptions(config.temporal, options.address));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? config.temporal.taskQueue,
    workflowBundle: options.bundle,
    activities: createActivities({ pool: options.pool }),
    dataConverter: { payloadCodecs: [options.codec] },
    shutdownGraceTime: Math.max(1000, config.shutdownTimeoutMs - 5000),
  });
  const running = worker.run().finally(() => connection.close());
  return {
    worker,
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
