// `npm run cluster`: the production shape on this machine (see README, "Run it in production").
// `npm run cluster:token -- --role staff --sub bob --org mlsp`: a token from its identity provider.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../config/index.js';
import { Actor } from '../domain/model.js';
import { createLogger } from '../logger.js';
import { Cluster } from './cluster.js';
import { signToken } from './identity-provider.js';
import { WORKERS } from './shape.js';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const Settings = z.object({
  CLUSTER_DATA_DIR: z.string().min(1).default('.data/cluster'),
  CLUSTER_API_PORT: port(3000),
  CLUSTER_TEMPORAL_PORT: port(7233),
  CLUSTER_POSTGRES_PORT: port(0),
  CLUSTER_IDP_PORT: port(0),
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(8).default(WORKERS),
  CLUSTER_CLOCK_SCALE: z.coerce.number().min(1).max(10_000_000).default(1),
});

function settings() {
  const parsed = Settings.safeParse(process.env);
  if (!parsed.success) {
    process.stderr.write(`Invalid cluster settings:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
    process.exit(1);
  }
  return { ...parsed.data, dataDir: path.resolve(PROJECT_ROOT, parsed.data.CLUSTER_DATA_DIR) };
}

async function printToken(dataDir: string) {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: { role: { type: 'string' }, sub: { type: 'string' }, org: { type: 'string' }, expires: { type: 'string', default: '1h' } },
  });
  const actor = Actor.safeParse({ id: values.sub, role: values.role, org: values.org });
  if (!actor.success) throw new Error('Usage: npm run cluster:token -- --role coordinator|staff|supervisor --sub <actor id> --org <organisation> [--expires 1h]');
  process.stdout.write(`${await signToken(path.join(dataDir, 'idp'), actor.data, values.expires)}\n`);
}

async function start(s: ReturnType<typeof settings>) {
  const logger = createLogger({ level: 'info', format: process.stdout.isTTY ? 'pretty' : 'json' });
  const started = Date.now();
  const cluster = Cluster.create({
    dataDir: s.dataDir,
    distDir: path.join(PROJECT_ROOT, 'dist'),
    toolsDir: path.join(PROJECT_ROOT, '.tools'),
    ports: { api: s.CLUSTER_API_PORT, temporal: s.CLUSTER_TEMPORAL_PORT, postgres: s.CLUSTER_POSTGRES_PORT, idp: s.CLUSTER_IDP_PORT },
    workers: s.CLUSTER_WORKERS,
    clockScale: s.CLUSTER_CLOCK_SCALE,
    logger,
  });
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping the cluster');
    await cluster.stop();
    process.exit(code);
  };
  // Also while it starts: whatever was started by then is stopped.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal, 0));
  try {
    await cluster.boot();
  } catch (error) {
    if (!stopping) logger.fatal({ err: error }, error instanceof Error ? error.message : 'the cluster did not start');
    await stop('failed to start', 1);
    return;
  }
  logger.info(
    {
      api: cluster.apiUrl,
      temporal: `${cluster.temporal.address} (namespace pathways)`,
      processes: { temporal: cluster.temporal.pid, ...Object.fromEntries([cluster.api, ...cluster.workers].map((p) => [p.spec.name, p.pid])) },
      logs: cluster.logsDir,
      token: 'npm run cluster:token -- --role supervisor --sub sue --org mlsp',
      seconds: Math.round((Date.now() - started) / 100) / 10,
    },
    'The Pathways cluster is running; press Ctrl-C to stop',
  );
  // A service process that dies is reported once; bringing it back is a supervisor's job (compose's restart policy).
  const reported = new Set<string>();
  setInterval(() => {
    for (const p of [cluster.api, ...cluster.workers]) {
      if (!p.failed || stopping || reported.has(p.spec.name)) continue;
      reported.add(p.spec.name);
      logger.warn({ process: p.spec.name, log: p.spec.logFile }, 'a service process exited');
    }
  }, 2000).unref();
}

const s = settings();
const command = process.argv[2] ?? 'start';
if (command === 'token') await printToken(s.dataDir);
else if (command === 'start') await start(s);
else {
  process.stderr.write('Usage: npm run cluster | npm run cluster:token -- --role <role> --sub <id> --org <org>\n');
  process.exit(2);
}
