import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { openPathways } from '../../src/pathways/open.js';
import { workflowIdOf } from '../../src/domain/model.js';
import { findTemporalCli } from '../../src/temporal/cli.js';
import { pathwayRuns } from '../helpers/history.js';
import { ACTORS, ARRIVAL, driveToClosure, openDeps } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const DIR = path.join(PROJECT_ROOT, 'test', 'histories');

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000 });
});
afterAll(() => stack?.stop());

const FAMILIES = {
  KZ: [person(29, ARRIVAL), person(9, ARRIVAL, { arrivedWith: 'mother' })],
  UZ: [person(34, ARRIVAL, { hasIdentityDocument: true }), person(12, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true })],
  KG: [person(8, ARRIVAL, { arrivedWith: 'siblings' }), person(6, ARRIVAL, { arrivedWith: 'siblings' })],
  TJ: [person(11, ARRIVAL, { arrivedWith: 'orphan' })],
};

/** The history in the JSON form the Temporal CLI writes and the replayer reads. */
async function historyJson(pathwayId: string, runId: string): Promise<string> {
  const cli = await findTemporalCli({ toolsDir: path.join(PROJECT_ROOT, '.tools'), logger: stack.logger });
  const { address, namespace } = stack.config.temporal;
  const args = ['workflow', 'show', '--workflow-id', workflowIdOf(pathwayId), '--run-id', runId, '--output', 'json'];
  const json = execFileSync(cli, [...args, '--address', address!, '--namespace', namespace], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.stringify(JSON.parse(json));
}

it('records one family per programme, every run of every pathway', async () => {
  for (const [programme, people] of Object.entries(FAMILIES)) {
    const requests = people.map((who) => ({
      request: { programme, operation: stack.templates.get(programme)!.operations[0]!.name, arrivalDate: ARRIVAL, familyGroupId: `recorded-${programme}`, person: who },
      fieldPrefix: '',
    }));
    const opened = await openPathways(openDeps(stack), ACTORS.coordinator, requests);
    await Promise.all(opened.map(({ id }) => driveToClosure(stack.client, id, 120_000)));
    for (const [member, { id }] of opened.entries()) {
      const role = people[member]!.arrivedWith === 'adult' ? 'adult' : `child${member}`;
      for (const [run, { runId }] of (await pathwayRuns(stack.client, id)).entries()) {
        await writeFile(path.join(DIR, `${programme.toLowerCase()}-${role}-run${run + 1}.json`), await historyJson(id, runId));
      }
    }
  }
  expect(true).toBe(true);
});
