import path from 'node:path';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT, type Config } from '../config/index.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres.js';
import type { Logger } from './logger.js';
import { findTemporalCli } from './temporal/cli.js';
import { temporalConnectionOptions } from './temporal/connection.js';
import { startTemporalDevServer, type EmbeddedTemporal } from './temporal/dev-server.js';
import { ensureNamespace } from './temporal/namespace.js';

/** The Temporal server and PostgreSQL a process talks to, embedded or external. */
export interface Infrastructure {
  databaseUrl: string;
  temporalAddress: string;
  /** Set when the service runs its own Temporal dev server. */
  temporalUiUrl?: string;
  /** Set when the service runs its own PostgreSQL. */
  embeddedPostgres?: EmbeddedPostgres;
  /** Stops the embedded servers, if any. */
  stop(): Promise<void>;
}

function missingSetting(name: string): Error {
  return new Error(`${name} is not set. Only "npm start" and the one-off commands use embedded servers; set ${name} to run this command alone.`);
}

/**
 * The configured PostgreSQL, or with `embedded` the service's own. A one-off command (`oneOff`)
 * uses the embedded server `npm start` is running on the same data, if there is one.
 */
export async function startDatabase(
  config: Config,
  logger: Logger,
  options: { embedded: boolean; oneOff?: boolean },
): Promise<{ url: string; server?: EmbeddedPostgres; stop(): Promise<void> }> {
  if (config.database.url) return { url: config.database.url, stop: async () => {} };
  if (!options.embedded) throw missingSetting('DATABASE_URL');
  const server = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.database.devPort,
    logger: logger.child({ component: 'postgres' }),
    reuseRunning: options.oneOff,
  });
  return { url: server.url, server, stop: server.stop };
}

async function resolveTemporal(config: Config, logger: Logger, embedded: boolean): Promise<{ address: string; server?: EmbeddedTemporal }> {
  const log = logger.child({ component: 'temporal' });
  if (config.temporal.address) {
    const options = await temporalConnectionOptions(config.temporal, config.temporal.address);
    const connection = await Connection.connect(options);
    try {
      await ensureNamespace({ connection, namespace: config.temporal.namespace, address: options.address, searchAttributes: SEARCH_ATTRIBUTES, logger: log });
    } finally {
      await connection.close();
    }
    return { address: config.temporal.address };
  }
  if (!embedded) throw missingSetting('TEMPORAL_ADDRESS');
  const cliPath = await findTemporalCli({ explicitPath: config.temporal.dev.cliPath, toolsDir: path.join(PROJECT_ROOT, '.tools'), logger: log });
  const server = await startTemporalDevServer({
    cliPath,
    dataDir: config.dataDir,
    namespace: config.temporal.namespace,
    port: config.temporal.dev.port,
    uiPort: config.temporal.dev.uiPort,
    uiCodecEndpoint: config.http.port ? `http://127.0.0.1:${config.http.port}/codec` : undefined,
    searchAttributes: SEARCH_ATTRIBUTES,
    logger: log,
  });
  return { address: server.address, server };
}

/**
 * Finds or starts what the process needs: the configured servers, or, when it may, its own
 * PostgreSQL and Temporal dev server for every address left unset. Both start in parallel.
 */
export async function startInfrastructure(config: Config, logger: Logger, options: { embedded: boolean }): Promise<Infrastructure> {
  const [postgres, temporal] = await Promise.allSettled([
    startDatabase(config, logger, options),
    resolveTemporal(config, logger, options.embedded),
  ]);
  const stop = async () => {
    await Promise.all([
      temporal.status === 'fulfilled' ? temporal.value.server?.stop() : undefined,
      postgres.status === 'fulfilled' ? postgres.value.stop() : undefined,
    ]);
  };
  if (postgres.status === 'rejected' || temporal.status === 'rejected') {
    await stop();
    throw postgres.status === 'rejected' ? postgres.reason : (temporal as PromiseRejectedResult).reason;
  }
  return {
    databaseUrl: postgres.value.url,
    temporalAddress: temporal.value.address,
    temporalUiUrl: temporal.value.server?.uiUrl,
    embeddedPostgres: postgres.value.server,
    stop,
  };
}
