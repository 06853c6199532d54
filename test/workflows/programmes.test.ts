import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, ARRIVAL, driveToClosure, openDeps } from '../helpers/pathways.js';
import { acceptedUpdates, pathwayRuns } from '../helpers/history.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { openPathways } from '../../src/pathways/open.js';
import type { PersonRecord } from '../../src/domain/open.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000 });
});
afterAll(() => stack?.stop());

/** Who arrives on each programme's operation: mothers with children, or children alone. */
const FAMILIES: Record<string, () => PersonRecord[]> = {
  KZ: () => [person(29, ARRIVAL), person(9, ARRIVAL, { arrivedWith: 'mother' }), person(4, ARRIVAL, { arrivedWith: 'mother' })],
  UZ: () => [person(34, ARRIVAL, { hasIdentityDocument: true }), person(12, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true })],
  KG: () => [person(8, ARRIVAL, { arrivedWith: 'siblings' }), person(6, ARRIVAL, { arrivedWith: 'siblings' })],
  TJ: () => [person(11, ARRIVAL, { arrivedWith: 'orphan' }), person(2, ARRIVAL, { arrivedWith: 'orphan' })],
};

async function auditOf(pathwayId: string) {
  const { rows } = await stack.db.pool.query<{ seq: number; kind: string; type: string }>(
    'select seq, kind, type from audit_entries where pathway_id = $1 order by seq',
    [pathwayId],
  );
  return rows;
}

describe.each(Object.keys(FAMILIES))('programme %s', (programme) => {
  it('runs a family from intake to closure driven only through availableActions', async () => {
    const familyGroupId = `fam-${randomUUID().slice(0, 8)}`;
    const requests = FAMILIES[programme]!().map((who) => ({
      request: { programme, operation: stack.templates.get(programme)!.operations[0]!.name, arrivalDate: ARRIVAL, familyGroupId, person: who },
      fieldPrefix: '',
    }));
    const opened = await openPathways(openDeps(stack), ACTORS.coordinator, requests);
    // The longest follow-up the programme allows, so that it spans more than one run.
    const longest = { type: 'follow-up.set-length', payload: { months: 24 } };
    const results = await Promise.all(opened.map(({ id }) => driveToClosure(stack.client, id, 120_000, programme === 'UZ' ? [longest] : [])));

    for (const [i, { state, sent }] of results.entries()) {
      const id = opened[i]!.id;
      expect(state).toMatchObject({ status: 'closed', closure: { reason: 'completed' }, overdue: false });
      expect(state.stages.every((s) => s.status === 'done' || s.status === 'skipped')).toBe(true);

      const audit = await auditOf(id);
      expect(audit.map((e) => e.seq)).toEqual(audit.map((_, n) => n + 1));
      const actions = audit.filter((e) => e.kind === 'action');
      expect(actions.map((e) => e.type)).toEqual(sent);
      expect(await acceptedUpdates(stack.client, id)).toBe(actions.length);

      const { rows } = await stack.db.pool.query('select status, closure_reason, current_stage from pathways where id = $1', [id]);
      expect(rows[0]).toEqual({ status: 'closed', closure_reason: 'completed', current_stage: 'closure' });
    }
    if (programme === 'UZ') {
      // Two years of monthly check-ins: the history is cut into runs by continue-as-new.
      const runs = await pathwayRuns(stack.client, opened[0]!.id);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect((await auditOf(opened[0]!.id)).filter((e) => e.type === 'pathway.continued-as-new')).toHaveLength(runs.length - 1);
    }
    const children = results.filter((r) => r.state.person.isChild).map((r) => r.state);
    const households = new Set(children.map((c) => c.stages.find((s) => s.stage === 'placement')!.details.householdId));
    expect(households.size).toBe(1);
  });
});
