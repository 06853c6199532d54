import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { expectProblem } from '../helpers/api.js';
import { STAGES } from '../../src/domain/model.js';
import { ARRIVAL, completeStages, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { accepted, eventually, MLSP, PRAVO, useAgencies } from '../agencies/orgs.js';

const api = useAgencies();
const { supervisor: sue, otherSupervisor: sid, staff } = MLSP;

type Entry = { type: string; actor: Actor | null };
type Listed = { id: string; decision?: Record<string, unknown> | null };

const close = (actor: Actor, id: string, payload: Record<string, unknown>) => api.act(actor, id, 'pathway.close', payload);
const trail = async (id: string): Promise<Entry[]> => (await accepted(await api.history(sue, id))).entries;
const openAdult = (age: number) => openOne(api.stack, 'KZ', person(age, ARRIVAL, { sex: 'female' }));

describe('closing a pathway early', () => {
  it('waits for a second supervisor: whoever asked cannot approve, another one can, and the trail has each once', async () => {
    const id = await openAdult(40);
    const referred = await accepted(
      await api.act(staff, id, 'referral.create', { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' }),
    );
    await accepted(await api.act(PRAVO.coordinator, id, 'referral.accept', { referral: referred.state.referrals[0].id }));
    expectProblem(await close(staff, id, { reason: 'withdrawn' }), 403, 'forbidden');

    const asked = await accepted(await close(sue, id, { reason: 'withdrawn' }));
    expect(asked.state.status).toBe('active');
    expect(asked.state.closure).toBeUndefined();
    expect(asked.state.closeRequest).toMatchObject({ reason: 'withdrawn', by: sue.id, at: expect.any(String) });
    // Approving is the other supervisors' work: whoever asked is not offered it.
    const offered = async (actor: Actor) => (await accepted(await api.read(actor, id))).availableActions.map((a: { type: string }) => a.type);
    expect(await offered(sue)).not.toContain('pathway.close-approve');
    expect(await offered(sid)).toContain('pathway.close-approve');
    // The receiver of a referral keeps working on it and is not told of the request.
    const receiver = await accepted(await api.read(PRAVO.staff, id));
    expect(receiver.closeRequest).toBeUndefined();
    expect(receiver.referrals[0].status).toBe('accepted');
    // A second request, or a completion, waits for the answer to the first.
    expect(expectProblem(await close(sid, id, { reason: 'deceased' }), 409, 'action-refused').reason).toBe('wrong-stage');

    const own = expectProblem(await api.act(sue, id, 'pathway.close-approve'), 403, 'forbidden');
    expect(own).toMatchObject({ reason: 'four-eyes', detail: 'A supervisor may not approve closing a pathway they asked to close themselves: another supervisor must.' });
    expectProblem(await api.act(staff, id, 'pathway.close-approve'), 403, 'forbidden');

    // The request is in the other supervisor's approvals, not in those of the one who asked.
    const queue = await eventually<{ items: Listed[] }>(() => api.worklist(sid, '?kind=approvals'), (page) => page.items.some((i) => i.id === id));
    // It says what it approves: an early close, why, asked by whom.
    expect(queue.items.find((i) => i.id === id)?.decision).toMatchObject({ kind: 'closure', reason: 'withdrawn', preparedBy: sue.id, preparedAt: expect.any(String) });
    expect(((await accepted(await api.worklist(sue, '?kind=approvals'))).items as Listed[]).some((i) => i.id === id)).toBe(false);

    const approved = await accepted(await api.act(sid, id, 'pathway.close-approve'));
    expect(approved.state).toMatchObject({ status: 'closed', closure: { reason: 'withdrawn', by: sue.id, approvedBy: sid.id } });
    expect(approved.state.closeRequest).toBeUndefined();
    const entries = await eventually<{ entries: Entry[] }>(() => api.history(sue, id), (h) => h.entries.some((e) => e.type === 'pathway.close-approve'));
    const closing = entries.entries.filter((e) => e.type.startsWith('pathway.close'));
    expect(closing.map((e) => [e.type, e.actor?.id])).toEqual([['pathway.close', sue.id], ['pathway.close-approve', sid.id]]);
    expect(expectProblem(await api.act(sid, id, 'pathway.close-reject'), 409, 'action-refused').reason).toBe('closed');
  });

  it('stays open when the second supervisor rejects the request; a duplicate is asked and approved the same way', async () => {
    const [id, stays] = [await openAdult(41), await openAdult(42)];
    await accepted(await close(sue, id, { reason: 'deceased' }));
    expect(expectProblem(await api.act(sid, id, 'pathway.close-reject', { reason: 'no' }), 400, 'validation-failed')).toBeDefined();
    const rejected = await accepted(await api.act(sid, id, 'pathway.close-reject'));
    expect(rejected.state.status).toBe('active');
    expect(rejected.state.closeRequest).toBeUndefined();
    expect(rejected.state.availableActions.map((a: { type: string }) => a.type)).not.toContain('pathway.close-approve');
    expect(expectProblem(await api.act(sid, id, 'pathway.close-approve'), 409, 'action-refused').reason).toBe('missing-prerequisite');

    await accepted(await close(sid, id, { reason: 'duplicate', duplicateOf: stays }));
    const approved = await accepted(await api.act(sue, id, 'pathway.close-approve'));
    expect(approved.state.closure).toMatchObject({ reason: 'duplicate', duplicateOf: stays, by: sid.id, approvedBy: sue.id });
    expect((await trail(id)).filter((e) => e.type.startsWith('pathway.close')).map((e) => e.type)).toEqual([
      'pathway.close', 'pathway.close-reject', 'pathway.close', 'pathway.close-approve',
    ]);
  });

  it('closes a completed pathway at once, with one supervisor', async () => {
    const id = await openOne(api.stack, 'KZ', person(43, ARRIVAL, { sex: 'female' }), {}, { clockScale: 10_000_000 });
    const state = await completeStages(api.stack.client, id, STAGES.filter((s) => s !== 'closure'), 90_000);
    expect(state.status).toBe('active');
    expect(state.availableActions).toContainEqual(expect.objectContaining({ type: 'pathway.close', routine: true, example: { reason: 'completed' } }));
    const closed = await accepted(await close(sue, id, { reason: 'completed' }));
    expect(closed.state).toMatchObject({ status: 'closed', closure: { reason: 'completed', by: sue.id } });
    expect(closed.state.closure.approvedBy).toBeUndefined();
  });
});
