import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { accepted, MLSP, useAgencies } from './orgs.js';

const api = useAgencies();

/** The seq of the entry an accepted action made. */
const seqOf = (body: { version: number }) => body.version;
const stageOf = (state: { stages: { stage: string; status: string; blockers: string[]; details: Record<string, unknown> }[] }, name: string) => state.stages.find((s) => s.stage === name)!;

describe('corrections', () => {
  let id: string;
  beforeAll(async () => {
    id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
  });

  it('replaces a wrongly recorded value, recomputes the state and keeps the original in the trail, marked', async () => {
    const recorded = await accepted(await api.act(MLSP.supervisor, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }));
    const entry = seqOf(recorded);
    const correction = { entry, version: entry, payload: { psychological: 'high', social: 'low' }, reason: 'recording-error' };

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
      await api.act(MLSP.supervisor, id, 'correction', { entry: seqOf(charged), version: seqOf(charged), payload: { outcome: 'cleared' }, reason: 'new-evidence' }),
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
      version: seqOf(charged),
      payload: { outcome: 'charged', movementRestrictionMonths: 6 },
      reason: 'recording-error',
    });
    expect((await accepted(restricted)).state.stages.find((s: { stage: string }) => s.stage === 'security').details.movementRestrictionMonths).toBe(6);
  });

  it('answers clear errors for an entry that cannot be corrected or a payload the action would not take', async () => {
    const invalid = expectProblem(
      await api.act(MLSP.otherSupervisor, id, 'correction', { entry: 1, version: 1, payload: {}, reason: 'recording-error' }),
      400,
      'validation-failed',
    );
    expect(invalid.detail).toMatch(/Entry 1 is not a recorded step/);
    const state = await accepted(await api.read(MLSP.supervisor, id));
    const logged = (await accepted(await api.history(MLSP.supervisor, id))).entries.find((e: { type: string }) => e.type === 'psychosocial.record-assessment');
    const badPayload = expectProblem(
      await api.act(MLSP.otherSupervisor, id, 'correction', { entry: logged.seq, version: logged.seq, payload: { psychological: 'extreme' }, reason: 'other' }),
      400,
      'validation-failed',
    );
    expect(badPayload.fields.map((f: { path: string }) => f.path)).toContain('payload.payload.psychological');
    expectProblem(await api.act(MLSP.otherSupervisor, id, 'correction', { entry: 2, reason: 'other' }), 400, 'validation-failed');
    expect((await accepted(await api.read(MLSP.supervisor, id))).version).toBe(state.version);
  });
});

describe('corrections and the decisions that came after them', () => {
  /** A template day in 8.64 ms: quarantine's minimum passes within a second. */
  const FAST = 10_000_000;
  const third = { id: 'supervisor-tamara', role: 'supervisor', org: 'mlsp' } as const;

  it('refuses to correct a screening that cleared the person once quarantine was released on it, naming the release (issue 21, finding 3)', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }), {}, { clockScale: FAST });
    const screening = seqOf(await accepted(await api.act(MLSP.staff, id, 'medical.record-screening', { result: 'cleared' })));
    await accepted(await api.act(MLSP.staff, id, 'security.record-outcome', { outcome: 'cleared' }));
    await waitFor(api.stack.client, id, (s) => stageOf(s, 'quarantine').blockers.length === 0);
    const release = seqOf(await accepted(await api.act(MLSP.staff, id, 'quarantine.release')));
    const refused = expectProblem(
      await api.act(MLSP.supervisor, id, 'correction', { entry: screening, version: screening, payload: { result: 'treatment-needed' }, reason: 'new-evidence' }),
      409,
      'action-refused',
    );
    expect(refused).toMatchObject({ reason: 'later-decision', detail: expect.stringContaining(`Entry ${release} (quarantine.release) was recorded on the basis of entry ${screening}`) });
    expect(stageOf(await accepted(await api.read(MLSP.supervisor, id)), 'medical').details.result).toBe('cleared');
    // A correction the release still stands on is accepted.
    await accepted(await api.act(MLSP.supervisor, id, 'correction', { entry: screening, version: screening, payload: { result: 'cleared', infectionsTested: 38 }, reason: 'recording-error' }));
  });

  it('applies one of several corrections of one entry sent at once; the others are stale, and nobody corrects their own correction (issue 21, finding 4)', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const entry = seqOf(await accepted(await api.act(MLSP.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' })));
    const levels = ['medium', 'high', 'low'] as const;
    const answers = await Promise.all(
      [MLSP.supervisor, MLSP.otherSupervisor, third].map((who, i) =>
        api.act(who, id, 'correction', { entry, version: entry, payload: { psychological: levels[i], social: 'medium' }, reason: 'recording-error' }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    for (const stale of answers.filter((a) => a.statusCode === 409)) expect(stale.json().reason).toBe('stale-version');
    const winner = [MLSP.supervisor, MLSP.otherSupervisor, third][answers.findIndex((a) => a.statusCode === 200)]!;
    const version = answers.find((a) => a.statusCode === 200)!.json().version;
    const trail = (await accepted(await api.history(MLSP.supervisor, id))).entries;
    expect(trail.find((e: { seq: number }) => e.seq === entry).correctedBy).toBe(version);
    expect(trail.find((e: { seq: number }) => e.seq === version).actor.id).toBe(winner.id);

    // An old version is stale; the corrector may not correct again, another supervisor may.
    const old = expectProblem(await api.act(third.id === winner.id ? MLSP.supervisor : third, id, 'correction', { entry, version: entry, payload: { psychological: 'high', social: 'high' }, reason: 'other' }), 409, 'action-refused');
    expect(old.reason).toBe('stale-version');
    const again = { entry, version, payload: { psychological: 'high', social: 'high' }, reason: 'other' };
    expect(expectProblem(await api.act(winner, id, 'correction', again), 403, 'forbidden').reason).toBe('four-eyes');
    const other = [MLSP.supervisor, MLSP.otherSupervisor, third].find((who) => who.id !== winner.id)!;
    await accepted(await api.act(other, id, 'correction', again));
  });

  it('asks a correction for the version it corrects', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const entry = seqOf(await accepted(await api.act(MLSP.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' })));
    const missing = expectProblem(await api.act(MLSP.supervisor, id, 'correction', { entry, payload: { psychological: 'high', social: 'low' }, reason: 'other' }), 400, 'validation-failed');
    expect(missing.fields).toEqual([{ path: 'payload.version', message: `must be ${entry}, the entry's current version` }]);
  });
});
