import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { accepted, MLSP, useAgencies } from './orgs.js';

const api = useAgencies();

/** The seq of the entry an accepted action made. */
const seqOf = (body: { version: number }) => body.version;
const stageOf = (state: { stages: { stage: string; status: string; details: Record<string, unknown> }[] }, name: string) => state.stages.find((s) => s.stage === name)!;

describe('corrections', () => {
  let id: string;
  beforeAll(async () => {
    id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
  });

  it('replaces a wrongly recorded value, recomputes the state and keeps the original in the trail, marked', async () => {
    const recorded = await accepted(await api.act(MLSP.supervisor, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }));
    const entry = seqOf(recorded);
    const correction = { entry, payload: { psychological: 'high', social: 'low' }, reason: 'recording-error' };

    // Four eyes: not the supervisor who recorded it, and only supervisors.
    const own = expectProblem(await api.act(MLSP.supervisor, id, 'correction', correction), 403, 'forbidden');
    expect(own).toMatchObject({ reason: 'four-eyes', detail: 'A supervisor other than the one who recorded the entry must correct it.' });
    expectProblem(await api.act(MLSP.staff, id, 'correction', correction), 403, 'forbidden');

    const corrected = await accepted(await api.act(MLSP.otherSupervisor, id, 'correction', correction, { note: 'High needs, typed as low' }));
    expect(stageOf(corrected.state, 'psychosocial').details.needs).toEqual({ psychological: 'high', social: 'low' });
    expect(corrected.state.corrections).toEqual({ [String(entry)]: corrected.version });

    const trail = (await accepted(await api.history(MLSP.supervisor, id))).entries;
    const original = trail.find((e: { seq: number }) => e.seq === entry);
    expect(original).toMatchObject({ type: 'psychosocial.record-assessment', outcome: { psychological: 'low', social: 'low' }, correctedBy: corrected.version });
    expect(trail.at(-1)).toMatchObject({
      type: 'correction',
      stage: 'psychosocial',
      actor: { id: MLSP.otherSupervisor.id },
      outcome: correction,
      note: 'High needs, typed as low',
      correctedBy: null,
    });
    expect((await accepted(await api.history(MLSP.supervisor, id))).chain.verified).toBe(true);
  });

  it('refuses a correction that would undo a later decision, naming it', async () => {
    const charged = await accepted(await api.act(MLSP.staff, id, 'security.record-outcome', { outcome: 'charged' }));
    await accepted(await api.act(MLSP.staff, id, 'security.record-court-decision', { decision: 'acquitted' }));
    const refused = expectProblem(
      await api.act(MLSP.supervisor, id, 'correction', { entry: seqOf(charged), payload: { outcome: 'cleared' }, reason: 'new-evidence' }),
      409,
      'action-refused',
    );
    expect(refused.reason).toBe('later-decision');
    expect(refused.detail).toMatch(/security\.record-court-decision.*recorded on the basis of entry/);
    const state = await accepted(await api.read(MLSP.supervisor, id));
    expect(stageOf(state, 'security').details).toMatchObject({ outcome: 'charged', courtDecision: 'acquitted' });
    // A correction that keeps the decision standing is accepted.
    const restricted = await api.act(MLSP.supervisor, id, 'correction', {
      entry: seqOf(charged),
      payload: { outcome: 'charged', movementRestrictionMonths: 6 },
      reason: 'recording-error',
    });
    expect((await accepted(restricted)).state.stages.find((s: { stage: string }) => s.stage === 'security').details.movementRestrictionMonths).toBe(6);
  });

  it('answers clear errors for an entry that cannot be corrected or a payload the action would not take', async () => {
    const invalid = expectProblem(
      await api.act(MLSP.otherSupervisor, id, 'correction', { entry: 1, payload: {}, reason: 'recording-error' }),
      400,
      'validation-failed',
    );
    expect(invalid.detail).toMatch(/Entry 1 is not a recorded step/);
    const state = await accepted(await api.read(MLSP.supervisor, id));
    const logged = (await accepted(await api.history(MLSP.supervisor, id))).entries.find((e: { type: string }) => e.type === 'psychosocial.record-assessment');
    const badPayload = expectProblem(
      await api.act(MLSP.otherSupervisor, id, 'correction', { entry: logged.seq, payload: { psychological: 'extreme' }, reason: 'other' }),
      400,
      'validation-failed',
    );
    expect(badPayload.fields.map((f: { path: string }) => f.path)).toContain('payload.payload.psychological');
    expectProblem(await api.act(MLSP.otherSupervisor, id, 'correction', { entry: 2, reason: 'other' }), 400, 'validation-failed');
    expect((await accepted(await api.read(MLSP.supervisor, id))).version).toBe(state.version);
  });
});
