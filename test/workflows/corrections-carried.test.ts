import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../config/pathways/index.js';
import type { PathwayInput } from '../../src/domain/pathway.js';
import { createCtx } from '../../workflows/rules.js';
import { ACTIONS } from '../../workflows/stages/index.js';
import { carriedState, initialState } from '../../workflows/state.js';
import { ACTORS } from '../helpers/pathways.js';

const templates = await loadTemplates();
const OPENED = Date.parse('2026-01-05T00:00:00Z');

const input: PathwayInput = {
  pathwayId: '00000000-0000-4000-8000-000000000001',
  programme: 'KZ',
  operation: 'Zhusan',
  arrivalDate: '2026-01-05',
  organisations: ['mlsp'],
  person: { sex: 'female', ageBand: '18-59', isChild: false, arrivedWith: 'adult', hasIdentityDocument: false, hasBirthCertificate: false },
  template: templates.get('KZ')!,
  clockScale: 1,
  openedBy: ACTORS.coordinator,
  rulesVersion: 2,
};

/** Records a step as the workflow's handler does: applied, then logged for corrections. */
function record(state: ReturnType<typeof initialState>, type: string, payload: unknown, actor = ACTORS.staff) {
  const { stage, definition } = ACTIONS.get(type)!;
  definition.apply(createCtx(input, state, OPENED), definition.payload.parse(payload), actor);
  state.seq += 1;
  state.log.push({ seq: state.seq, type, stage, payload: definition.payload.parse(payload), actor, at: OPENED });
}

const correction = ACTIONS.get('correction')!.definition;

describe('a correction on a run carried over from code that kept no log', () => {
  it('keeps what the stages held before the log began, and replaces only the corrected step', () => {
    // The run before recorded an identity document; its state travels without a log.
    const earlier = initialState(OPENED, ['mlsp']) as unknown as Record<string, unknown>;
    delete earlier.log;
    delete earlier.corrections;
    delete earlier.referrals;
    delete earlier.assignments;
    const carried = { ...earlier, seq: 7, documentation: { birthCertificateIssued: false, identityDocument: 'passport' } };
    const state = carriedState(JSON.parse(JSON.stringify(carried)), OPENED, ['mlsp']);
    expect(state.log).toEqual([]);

    record(state, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' });
    const ctx = createCtx(input, state, OPENED);
    const payload = { entry: 8, version: 8, payload: { psychological: 'high', social: 'low' }, reason: 'recording-error' as const };
    expect(correction.refuse?.(ctx, payload)).toBeUndefined();
    correction.apply(ctx, payload, ACTORS.supervisor);

    expect(state.psychosocial.needs).toEqual({ psychological: 'high', social: 'low' });
    expect(state.documentation.identityDocument).toBe('passport');
    // The correction is the next entry: 9.
    expect(state.corrections).toEqual({ 8: 9 });
  });

  it('refuses, without touching the state, a correction its validator would refuse', () => {
    const state = initialState(OPENED, ['mlsp']);
    record(state, 'security.record-outcome', { outcome: 'charged' });
    record(state, 'security.record-court-decision', { decision: 'acquitted' });
    const ctx = createCtx(input, state, OPENED);
    const undoing = { entry: 1, version: 1, payload: { outcome: 'cleared' }, reason: 'new-evidence' as const };
    expect(correction.refuse?.(ctx, undoing)).toMatchObject({ code: 'later-decision' });
    const before = JSON.stringify(state);
    expect(() => correction.apply(ctx, undoing, ACTORS.supervisor)).toThrow(/recorded on the basis of entry 1/);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('refuses, on a pathway of rules before 3 (no release in its log), to un-clear a screening quarantine was released on', () => {
    const state = initialState(OPENED, ['mlsp']);
    record(state, 'medical.record-screening', { result: 'cleared' });
    state.quarantine.released = true;
    const ctx = createCtx(input, state, OPENED);
    expect(correction.refuse?.(ctx, { entry: 1, version: 1, payload: { result: 'treatment-needed' }, reason: 'new-evidence' })).toMatchObject({ code: 'later-decision' });
    expect(correction.refuse?.(ctx, { entry: 1, version: 1, payload: { result: 'cleared', infectionsTested: 38 }, reason: 'recording-error' })).toBeUndefined();
  });
});
