import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PayloadCodec } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle, type WorkflowBundleOption } from '@temporalio/worker';
import { PROJECT_ROOT, type Config } from '../../config/index.js';
import { createActivities } from '../../activities/index.js';
import { loadTemplates } from '../../config/pathways/index.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { temporalConnectionOptions } from './connection.js';
import { temporalLogger } from './logging.js';

const WORKFLOWS_PATH = path.join(PROJECT_ROOT, 'workflows', 'index.ts');
/** Modules without per-pathway state, run once per worker thread and shared: see workflows/zod-on-demand.cjs. */
const PRELOADED = ['src/domain/model.ts', 'src/domain/template.ts', 'src/domain/pathway.ts', 'src/domain/text.ts', 'workflows/stages/index.ts'];
/** Where `npm run build` writes the workflow bundle: the root of its output, beside the compiled code. */
export const PREBUILT_BUNDLE_NAME = 'workflow-bundle.js';

/** Bundles the workflow code once (webpack); pass the result to every worker of the process. */
export async function bundleWorkflows(logger: Logger): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: PRELOADED.map((file) => path.join(PROJECT_ROOT, file)),
    // Webpack's build statistics are noise in the service's log.
    logger: temporalLogger(logger.child({ component: 'bundler' }, { level: 'warn' })),
    // Sources import './x.js' (ESM style) while the files are './x.ts'.
    // Workflow code builds its schemas on first use (workflows/zod-on-demand.cjs), not per run.
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        extensionAlias: { '.js': ['.ts', '.js'] },
        alias: { ...(config.resolve?.alias as object), zod$: path.join(PROJECT_ROOT, 'workflows', 'zod-on-demand.cjs') },
      },
    }),
  });
}

/**
 * The compiled service (`npm run build`) loads the bundle built with it, so every worker of a
 * release runs the same workflow code and starts without webpack; the sources (tsx) bundle afresh.
 */
export async function workflowBundle(logger: Logger): Promise<WorkflowBundleOption> {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js')) return bundleWorkflows(logger);
  const codePath = path.resolve(path.dirname(here), '..', '..', PREBUILT_BUNDLE_NAME);
  await access(codePath).catch(() => {
    throw new Error(`The workflow bundle ${codePath} is missing: build the service with npm run build.`);
  });
  logger.info({ workflowBundle: codePath }, 'loading the prebuilt workflow bundle');
  return { codePath };
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
  const stopping = new AbortController();
  const connection = await NativeConnection.connect(await temporalConnectionOptions(config.temporal, options.address));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? config.temporal.taskQueue,
    workflowBundle: options.bundle,
    activities: createActivities({ pool: options.pool, config, templates: await loadTemplates(), stopping: stopping.signal }),
    dataConverter: { payloadCodecs: [options.codec] },
    shutdownGraceTime: Math.max(1000, config.shutdownTimeoutMs - 5000),
    // The SDK's default grows with the heap (thousands): a worker holding every open pathway.
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    // The SDK reads the number of polls from here (maxConcurrentWorkflowTaskPolls is no longer read).
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: config.temporal.workflowPolls },
    nonStickyToStickyPollRatio: config.temporal.nonStickyPollRatio,
  });
  const running = worker.run().finally(() => connection.close());
  return {
    worker,
    running,
    async stop() {
      stopping.abort();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
