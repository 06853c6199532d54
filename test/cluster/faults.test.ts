// `npm run test:faults`: the production shape (`npm run cluster`) broken on purpose while a
// caseload is in flight. Each fault gets its own slice: families opened as cohorts, driven to
// closure through availableActions by 16 clients that retry with their actionId or
// Idempotency-Key. Afterwards nothing may be lost, doubled or out of step.
// The next slice starts while the last pathways of the previous one finish, as a caseload would.
// FAULTS_PROFILE=ci runs the faults marked for CI on smaller slices.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import type { Programme } from '../../src/domain/model.js';
import { crew, FAMILY_NAMES, GIVEN_NAMES, type Crew } from './helpers/caseload.js';
import { auditVerify, compareWithWorkflows, nonDeterminismFailures, personalValuesInLogs } from './helpers/checks.js';
import { startTestCluster, type TestCluster } from './helpers/cluster.js';
import { FAULTS } from './helpers/faults.js';
import { Slice } from './helpers/slice.js';

const PROFILE = process.env.FAULTS_PROFILE === 'ci' ? 'ci' : 'full';
const CLIENTS = 16;
/**
 * Families of three programmes: mothers with three children (KZ, with its year of follow-up) and
 * groups of three siblings (KG, TJ). 66 each makes 200 pathways a slice (whole families); 16, 52.
 * UZ's five years of monthly follow-up would triple the work of a slice; its journey runs in
 * journeys.test.ts.
 */
const PROGRAMMES: Programme[] = ['KZ', 'KG', 'TJ'];
const PER_PROGRAMME = PROFILE === 'ci' ? 16 : 66;
/** Template time runs this much faster: a year of follow-up passes in about three seconds. */
const CLOCK_SCALE = 10_000_000;
const faults = FAULTS.filter((f) => PROFILE === 'full' || f.ci);

let shape: TestCluster;
let crews: Crew[];
const figures: Record<string, unknown>[] = [];
let failures = 0;

beforeAll(async () => {
  shape = await startTestCluster({ name: 'faults', clockScale: CLOCK_SCALE });
  crews = Array.from({ length: CLIENTS }, (_, i) => crew(i + 1, (actor) => shape.cluster.token(actor)));
  // Before any load: what a fault needs ready (the roll's second build).
  for (const fault of faults) await fault.prepare?.(shape);
});

/** The figures so far, written after each fault so that an interrupted run still leaves them. */
async function saveFigures() {
  const summary = { profile: PROFILE, clients: CLIENTS, clockScale: CLOCK_SCALE, programmes: PROGRAMMES, at: new Date().toISOString(), faults: figures };
  const dir = path.join(PROJECT_ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `faults-${PROFILE}.json`), `${JSON.stringify(summary, null, 2)}\n`);
}

afterAll(async () => {
  await shape?.stop({ keepData: failures > 0 });
});

async function startSlice(n: number): Promise<Slice> {
  const slice = new Slice(`slice${n}`, shape, crews);
  await slice.start(PER_PROGRAMME, PROGRAMMES);
  return slice;
}

const slices: Slice[] = [];
const injected: { atFault: number; notes: string[]; verify: Promise<{ code: number; output: string }> }[] = [];

describe.sequential(`the production shape under faults (${PROFILE})`, () => {
  for (const [n, fault] of faults.entries()) {
    it(`${fault.name}, while slice ${n} is in flight`, async () => {
      failures += 1;
      const slice = (slices[n] ??= await startSlice(n));
      // This fault is this slice's alone: the slice before has closed every pathway.
      if (n > 0) await slices[n - 1]!.finished();
      // In flight: about two actions per pathway done, most of the caseload still ahead.
      await slice.progress(slice.ids.length * 2);
      const atFault = slice.actions;
      const notes: string[] = [];
      slice.log.phase = 'fault';
      await fault.inject({ shape, progress: (count) => slice.progress(count), note: (line) => notes.push(line) });
      slice.log.phase = 'after';
      // As an operator would once the fault is over, with the caseload going on.
      const verify = auditVerify(shape);
      injected[n] = { atFault, notes, verify };
      // The next slice's families arrive as this one's pathways begin to close, so the two
      // cores are kept busy; its fault waits until this slice is over.
      await slice.firstClosed();
      if (n + 1 < faults.length) slices[n + 1] = await startSlice(n + 1);
      await verify;
      failures -= 1;
    });
  }

  // Checked once every fault is over, so that no check runs while something is broken.
  for (const [n, fault] of faults.entries()) {
    it(`after "${fault.name}": every pathway of slice ${n} closed, nothing lost, doubled or out of step`, async () => {
      failures += 1;
      const slice = slices[n]!;
      const { atFault, notes, verify } = injected[n]!;
      const { problems, open } = await slice.finished();
      expect(problems).toEqual([]);
      expect(open).toEqual([]);
      const { rows } = await shape.pool.query('select count(*)::int as n from pathways where family_group_id like $1', [`${slice.name}-%`]);
      expect(rows[0].n).toBe(slice.ids.length);
      const { mismatches, actions, entries } = await compareWithWorkflows(shape, slice.ids, slice.accepted);
      expect(mismatches).toEqual([]);
      expect(actions).toBe(slice.actions);
      expect(await nonDeterminismFailures(shape, slice.ids)).toEqual([]);
      const verified = await verify;
      expect(verified.output).toContain('every chain verifies');
      expect(verified.code).toBe(0);
      expect(slice.log.badServerErrors()).toEqual([]);

      figures.push({
        fault: fault.name,
        pathways: slice.ids.length,
        actionsAccepted: actions,
        auditEntries: entries,
        actionsBeforeFault: atFault,
        unavailable503: Object.fromEntries(['start', 'fault', 'after'].map((phase) => [phase, slice.log.count(phase, 503)])),
        unanswered: slice.log.unanswered,
        requests: slice.log.answers.length,
        notes,
        auditVerifyAfterFault: verified.output.trim().split('\n').filter((line) => !line.startsWith('{')),
        seconds: slice.seconds,
      });
      await saveFigures();
      failures -= 1;
    });
  }

  it('leaves every audit chain verifiable, and no personal value in any log of the cluster', async () => {
    const verify = await auditVerify(shape);
    expect(verify.output).toContain('every chain verifies');
    expect(verify.code).toBe(0);
    figures.push({ auditVerifyAtEnd: verify.output.trim().split('\n').filter((line) => !line.startsWith('{')) });
    await saveFigures();
    expect(await personalValuesInLogs(shape, [...GIVEN_NAMES, ...FAMILY_NAMES])).toEqual([]);
  });
});
