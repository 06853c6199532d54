import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { crewOf } from '../lib/api.js';
import type { Bench } from '../lib/context.js';
import { generatePerson, seeded, type GeneratedPerson } from '../lib/names.js';
import { progress } from '../lib/stats.js';
import { insertPeople } from './search.js';

const crew = crewOf('bench-export');
// A full collection on demand, without starting node with --expose-gc: peak heap alone counts garbage V8 has not collected yet.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

export interface ExportRun {
  pathways: number;
  format: 'csv' | 'xlsx';
  rows: number;
  bytes: number;
  /** From the request to the first byte: the access log written for every pathway, in one statement. */
  firstByteSeconds: number;
  seconds: number;
  /** This process (the API) while the file streamed, sampled every 20 ms, against just before. */
  rssBeforeMiB: number;
  peakRssMiB: number;
  rssGrowthMiB: number;
  heapBeforeMiB: number;
  peakHeapMiB: number;
  heapGrowthMiB: number;
  /** Heap in use right after a full collection, once a second: what the export keeps, not its garbage. */
  retainedHeapGrowthMiB: number;
}
export interface ExportFigures {
  runs: ExportRun[];
}

/** Downloads one export over a socket, reading it as it comes (inject would hold the whole answer). */
async function download(bench: Bench, base: string, pathways: number, format: 'csv' | 'xlsx'): Promise<ExportRun> {
  collect();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  let peakRetained = before.heapUsed;
  let ticks = 0;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
    if (++ticks % 50 === 0) {
      collect();
      peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed);
    }
  }, 20);
  const started = performance.now();
  let firstByte = 0;
  let bytes = 0;
  try {
    const answer = await fetch(`${base}/v1/exports/pathways?format=${format}&reason=audit&note=bench`, {
      headers: { authorization: await bench.api.authorization(crew.supervisors[0]) },
    });
    if (answer.status !== 200 || !answer.body) throw new Error(`the export answered ${answer.status}: ${await answer.text()}`);
    for await (const chunk of answer.body) {
      if (!firstByte) firstByte = performance.now();
      bytes += chunk.byteLength;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  // The export's transaction commits just after its last byte.
  let rows: { rows_sent: number }[] = [];
  for (let tries = 0; !rows.length && tries < 100; tries++) {
    if (tries) await sleep(50);
    ({ rows } = await bench.pool.query<{ rows_sent: number }>(
      `select rows_sent from export_log where actor_id = $1 and format = $2 and finished and pathways = $3 order by id desc limit 1`,
      [crew.supervisors[0].id, format, pathways]));
  }
  const run: ExportRun = {
    pathways, format, rows: rows[0]?.rows_sent ?? 0, bytes, firstByteSeconds: (firstByte - started) / 1000, seconds,
    rssBeforeMiB: before.rss / MiB, peakRssMiB: peakRss / MiB, rssGrowthMiB: (peakRss - before.rss) / MiB,
    heapBeforeMiB: before.heapUsed / MiB, peakHeapMiB: peakHeap / MiB, heapGrowthMiB: (peakHeap - before.heapUsed) / MiB,
    retainedHeapGrowthMiB: (peakRetained - before.heapUsed) / MiB,
  };
  progress(`export: ${pathways} pathways as ${format}: ${Math.round(bytes / MiB)} MiB in ${seconds.toFixed(1)} s, RSS +${run.rssGrowthMiB.toFixed(0)} MiB, heap +${run.heapGrowthMiB.toFixed(0)} MiB (kept +${run.retainedHeapGrowthMiB.toFixed(0)} MiB)`);
  return run;
}

/**
 * 10,000 and then 100,000 pathways (--quick: 10,000) written straight into PostgreSQL (as for search), each
 * exported as CSV and XLSX through the API over a socket: the API's memory should not grow with
 * the rows. The API runs in this process; the worker has no part in an export.
 */
export async function exportPhase(bench: Bench): Promise<ExportFigures> {
  const random = seeded(25);
  const app = bench.api.app;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const runs: ExportRun[] = [];
  let written = 0;
  // --quick: the smaller size only.
  for (const size of bench.sizes.rounds > 1 ? [10_000, 100_000] : [10_000]) {
    const more: GeneratedPerson[] = Array.from({ length: size - written }, () => generatePerson(random));
    await insertPeople(bench.pool, more, crew);
    written = size;
    progress(`export: ${size} pathways written`);
    for (const format of ['csv', 'xlsx'] as const) runs.push(await download(bench, base, size, format));
  }
  return { runs };
}
