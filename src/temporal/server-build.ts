import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { isExecutable, onPath, run } from './cli.js';

/** The Temporal server release the production shape runs: docker-compose.yml names the same one. */
export const TEMPORAL_SERVER_RELEASE = '1.29.1';

const MODULES = {
  server: `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_RELEASE}`,
  sqlTool: `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_RELEASE}`,
};

/** The Temporal server and its schema tool, named after their release so a new one is built afresh. */
export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

export function temporalServerBinaries(toolsDir: string): TemporalServerBinaries {
  const bin = path.join(toolsDir, 'bin');
  return {
    server: path.join(bin, `temporal-server-v${TEMPORAL_SERVER_RELEASE}`),
    sqlTool: path.join(bin, `temporal-sql-tool-v${TEMPORAL_SERVER_RELEASE}`),
  };
}

/** The binaries in `<toolsDir>/bin`, or why they are not there. */
export async function findTemporalServer(toolsDir: string): Promise<TemporalServerBinaries> {
  const binaries = temporalServerBinaries(toolsDir);
  if ((await isExecutable(binaries.server)) && (await isExecutable(binaries.sqlTool))) return binaries;
  throw new Error(`The Temporal server ${TEMPORAL_SERVER_RELEASE} is not built: run npm run setup -- --cluster (it builds into ${path.join(toolsDir, 'bin')}).`);
}

/**
 * Builds the Temporal server and its schema tool with `go install` (a few minutes on a cold
 * module cache) unless they are there already. The schemas are compiled into the tool.
 */
export async function installTemporalServer(toolsDir: string, logger: Logger): Promise<TemporalServerBinaries> {
  const binaries = temporalServerBinaries(toolsDir);
  if ((await isExecutable(binaries.server)) && (await isExecutable(binaries.sqlTool))) return binaries;
  const go = await onPath('go');
  if (!go) throw new Error(`Building the Temporal server needs Go: install it, then run npm run setup -- --cluster (go install ${MODULES.server}).`);
  logger.info({ modules: Object.values(MODULES) }, 'building the Temporal server and its schema tool with go install (a few minutes)');
  const started = Date.now();
  // go install names binaries after their package (server, sql): build aside, then name them.
  await mkdir(path.dirname(binaries.server), { recursive: true });
  const scratch = await mkdtemp(path.join(toolsDir, 'build-'));
  try {
    await run(go, ['install', MODULES.server, MODULES.sqlTool], { ...process.env, GOBIN: scratch }, logger);
    await rename(path.join(scratch, 'server'), binaries.server);
    await rename(path.join(scratch, 'sql'), binaries.sqlTool);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  logger.info({ ...binaries, seconds: Math.round((Date.now() - started) / 1000) }, 'Temporal server built');
  return binaries;
}
