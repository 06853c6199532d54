import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPathways } from '../../src/pathways/open.js';
import type { Template } from '../../src/domain/template.js';
import { ACTORS, ARRIVAL, openDeps, stage, stateOf } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

async function open(templates: TestStack['templates']) {
  const request = { programme: 'KZ', operation: 'Zhusan', phase: '5', arrivalDate: ARRIVAL, person: person(30, ARRIVAL) };
  const [opened] = await openPathways(openDeps(stack, { templates }), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  return opened!.id;
}

describe('a template', () => {
  it('is kept, as it was, by every pathway that started with it', async () => {
    const before = await open(stack.templates);
    const kz = stack.templates.get('KZ')!;
    const edited: Template = {
      ...kz,
      version: kz.version + 1,
      stages: kz.stages.map((s) => (s.stage === 'quarantine' ? { ...s, minimum: 'P7D' } : s)),
    };
    const after = await open(new Map([...stack.templates, ['KZ', edited]]));

    const old = await stateOf(stack.client, before);
    expect(old.template.version).toBe(kz.version);
    expect(stage(old, 'quarantine').blockers[0]).toMatch(/minimum quarantine of P30D/);
    const fresh = await stateOf(stack.client, after);
    expect(fresh.template.version).toBe(kz.version + 1);
    expect(stage(fresh, 'quarantine').blockers[0]).toMatch(/minimum quarantine of P7D/);
    const { rows } = await stack.db.pool.query('select id, template_version from pathways order by template_version');
    expect(rows).toEqual([
      { id: before, template_version: kz.version },
      { id: after, template_version: kz.version + 1 },
    ]);
  });
});
