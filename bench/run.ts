import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, PROJECT_ROOT } from '../config/index.js';
import { loadTemplates } from '../config/pathways/index.js';
import { buildApp } from '../src/api/app.js';
import { createVerifier, signDevToken } from '../src/api/auth.js';
import { migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { startInfrastructure } from '../src/infrastructure.js';
import { createLogger } from '../src/logger.js';
import { createTemporalClient } from '../src/temporal/client.js';
import { createPayloadCodec } from '../src/temporal/codec.js';
import { installTemporalRuntime } from '../src/temporal/logging.js';
import { bundleWorkflows, startWorker } from '../src/temporal/worker.js';

const COHORT = 200;
const ARRIVAL = '2021-03-16';

function cohortBody() {
  const people = Array.from({ length: COHORT }, (_, i) => {
    const adult = i % 4 === 0;
    const age = adult ? 30 : 2 + (i % 14);
    return {
      familyGroupId: `family-${Math.floor(i / 4)}`,
      person: {
        givenName: 'Bench',
        familyName: `Person${i}`,
        sex: adult ? 'female' : i % 2 ? 'male' : 'female',
        birthDate: `${2021 - age}-01-15`,
        arrivedWith: adult ? 'adult' : 'mother',
      },
    };
  });
  return { programme: 'KZ', operation: 'Zhusan', phase: '1', arrivalDate: ARRIVAL, people };
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pathways-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', PORT: '0' });
  const logger = createLogger(config.log);
  installTemporalRuntime(logger);
  const infrastructure = await startInfrastructure(config, logger, { embedded: true });
  const pool = createPool({ url: infrastructure.databaseUrl, size: config.database.poolSize, logger });
  await migrate(pool, logger);
  const codec = await createPayloadCodec(config);
  const worker = await startWorker({ config, address: infrastructure.temporalAddress, pool, bundle: await bundleWorkflows(logger), codec });
  const client = await createTemporalClient(config, infrastructure.temporalAddress, codec);
  const app = await buildApp({ config, logger, pool, client, codec, templates: await loadTemplates(), verifier: await createVerifier(config) });
  const token = await signDevToken(config, { id: 'bench', role: 'coordinator', org: 'bench' });

  try {
    const started = performance.now();
    const response = await app.inject({ method: 'POST', url: '/v1/cohorts', headers: { authorization: `Bearer ${token}` }, payload: cohortBody() });
    const answered = performance.now();
    if (response.statusCode !== 201) throw new Error(`cohort refused: ${response.statusCode} ${response.body}`);
    // Every pathway has started and written its first audit entry and projection.
    for (;;) {
      const { rows } = await pool.query("select count(*)::int as n from pathways where operation = 'Zhusan' and projection_version > 0");
      if (rows[0].n === COHORT) break;
      await sleep(50);
    }
    const settled = performance.now();
    const figures = {
      benchmark: 'open a cohort over HTTP',
      cohortSize: COHORT,
      httpResponseMs: Math.round(answered - started),
      allPathwaysRecordedMs: Math.round(settled - started),
      pathwaysPerSecond: Math.round((COHORT / (settled - started)) * 1000),
      rssMiB: Math.round(process.memoryUsage().rss / 1024 / 1024),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, node ${process.version}`,
      at: new Date().toISOString(),
    };
    console.log(JSON.stringify(figures, null, 2));
    await writeFile(path.join(PROJECT_ROOT, 'bench', 'results', 'cohort.json'), `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await app.close();
    await client.connection.close();
    await worker.stop();
    await pool.end();
    await infrastructure.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
