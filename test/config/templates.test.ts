import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplates, TemplateError } from '../../config/pathways/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pathways-templates-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function errorFor(file: string, content: unknown): Promise<string> {
  await writeFile(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  const error = await loadTemplates(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return (error as Error).message;
}

async function written(content: unknown): Promise<string> {
  await writeFile(path.join(dir, 'kg.json'), JSON.stringify(content));
  return dir;
}

const SOURCE = 'assumption: a template made for this test';
const minimal = {
  programme: 'KG',
  version: 1,
  name: 'children only',
  population: 'children',
  operations: [{ name: 'Meerim' }],
  stages: [
    { stage: 'quarantine', minimum: 'P21D', target: 'P30D', source: SOURCE },
    { stage: 'medical', target: 'P30D', source: SOURCE },
    { stage: 'psychosocial', target: 'P60D', source: SOURCE },
    { stage: 'documentation', target: 'P120D', source: SOURCE },
    { stage: 'placement', after: ['quarantine'], target: 'P365D', options: ['kinship'], source: SOURCE },
    { stage: 'education', after: ['quarantine'], target: 'P90D', source: SOURCE },
  ],
};

describe('programme templates', () => {
  it('loads the four programmes, each with a version', async () => {
    const templates = await loadTemplates();
    expect([...templates.keys()].sort()).toEqual(['KG', 'KZ', 'TJ', 'UZ']);
    expect(templates.get('KZ')).toMatchObject({ version: 3, population: 'everyone' });
    // The five years in Uzbekistan are court restrictions for some people, not monitoring for all (004).
    expect(templates.get('UZ')!.stages.find((s) => s.stage === 'followUp')).toMatchObject({ duration: 'P12M', checkInInterval: 'P1M' });
    expect(templates.get('KG')!.stages.map((s) => s.stage)).not.toContain('security');
  });

  it('adds a programme by adding a file', async () => {
    await writeFile(path.join(dir, 'kg.json'), JSON.stringify(minimal));
    await writeFile(path.join(dir, 'tm.json'), JSON.stringify({ ...minimal, programme: 'TM', name: 'a new programme' }));
    expect([...(await loadTemplates(dir)).keys()]).toEqual(['KG', 'TM']);
  });

  it('names the file and every field at fault', async () => {
    const stages = [...minimal.stages];
    stages[0] = { stage: 'quarantine', minimum: '30 days', target: 'P30D', source: SOURCE };
    stages[4] = { stage: 'placement', after: ['education'], target: 'P365D', options: ['kinship'], source: SOURCE };
    const message = await errorFor('kg.json', { ...minimal, stages });
    const file = path.join(dir, 'kg.json');
    expect(message.split('\n')).toEqual([
      `${file}: stages.0.minimum: must be an ISO 8601 duration such as P30D, P6M or P1Y`,
      `${file}: stages.4.after: education must be listed before placement`,
    ]);
  });

  it('refuses stages that cannot apply to the audience and files named after another programme', async () => {
    const adultsSchool = { ...minimal, stages: minimal.stages.map((s) => (s.stage === 'education' ? { ...s, appliesTo: 'adults' } : s)) };
    expect(await errorFor('kg.json', adultsSchool)).toContain('stages.5.appliesTo: education can apply to children only');
    await rm(path.join(dir, 'kg.json'));
    expect(await errorFor('uz.json', minimal)).toContain('programme: is KG but the file name says UZ');
  });

  it('makes every duration cite its source: a seed and what it says, or an assumption and why', async () => {
    for (const template of (await loadTemplates()).values()) {
      for (const stage of template.stages) {
        const durations = [stage.minimum, stage.target, stage.duration, stage.checkInInterval].filter(Boolean);
        if (durations.length) expect(stage.source, `${template.programme} ${stage.stage}`).toMatch(/^(0\d\d: |assumption: )/);
      }
    }
    const { source: _, ...unsourced } = minimal.stages[1]!;
    const stages = minimal.stages.map((s, i) => (i === 1 ? unsourced : s));
    expect(await errorFor('kg.json', { ...minimal, stages })).toContain('stages.1.source: required: say where P30D comes from');
    const vague = minimal.stages.map((s, i) => (i === 1 ? { ...s, source: 'the report' } : s));
    expect(await errorFor('kg.json', { ...minimal, stages: vague })).toContain('stages.1.source: must name a seed');
  });

  it('gives every stage with a target its reminders: the template\'s, or the stage\'s own, before the due date', async () => {
    for (const template of (await loadTemplates()).values()) {
      expect(template.reminders, template.programme).toEqual({ remindBefore: 'P3D', escalateAfter: 'P7D' });
      expect(template.stages.find((s) => s.stage === 'documentation')).toMatchObject({ remindBefore: 'P14D' });
    }
    const reminders = { remindBefore: 'P3D', escalateAfter: 'P7D' };
    const withOwn = minimal.stages.map((s, i) => (i === 1 ? { ...s, remindBefore: 'P5D', escalateAfter: 'P2D' } : s));
    expect((await loadTemplates(await written({ ...minimal, reminders, stages: withOwn }))).get('KG')!.stages[1]).toMatchObject({ remindBefore: 'P5D', escalateAfter: 'P2D' });
    const tooEarly = minimal.stages.map((s, i) => (i === 1 ? { ...s, remindBefore: 'P30D' } : s));
    expect(await errorFor('kg.json', { ...minimal, stages: tooEarly })).toContain('stages.1.remindBefore: must be shorter than the target (P30D)');
    expect(await errorFor('kg.json', { ...minimal, reminders: { remindBefore: 'P90D', escalateAfter: 'P7D' } })).toContain('stages.0.remindBefore: must be shorter than the target (P30D)');
    const untimed = [...minimal.stages, { stage: 'care', after: ['quarantine'], escalateAfter: 'P7D' }];
    expect(await errorFor('kg.json', { ...minimal, stages: untimed })).toContain('stages.6.escalateAfter: not used by care');
    expect(await errorFor('kg.json', { ...minimal, reminders: { remindBefore: 'three days', escalateAfter: 'P7D' } })).toContain('reminders.remindBefore: must be an ISO 8601 duration');
  });

  it('refuses a file that is not JSON', async () => {
    expect(await errorFor('kz.json', '{ "programme": ')).toMatch(/kz\.json: not valid JSON/);
  });
});
