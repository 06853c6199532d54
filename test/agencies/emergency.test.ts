import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { accepted, MLSP, PRAVO, useAgencies } from './orgs.js';

const api = useAgencies();

const OMBUDSMAN: Actor = { id: 'ombudsman', role: 'supervisor', org: 'oversight' };
const EMERGENCY = { reason: 'medical-emergency', note: 'Brought unconscious to the night shelter; we need her medical stage now.' };

const breakGlass = (actor: Actor, id: string, body: object = EMERGENCY) => api.post(actor, `/v1/pathways/${id}/emergency-access`, body);
const queue = (actor: Actor, query = '') => api.get(actor, `/v1/emergency-access${query}`);
const review = (actor: Actor, grantId: string, body: object) => api.post(actor, `/v1/emergency-access/${grantId}/review`, body);

type Grant = { id: string; pathwayId: string; expiresAt: string; reason: string };
type Queued = { id: string; reads: number; review: unknown };

describe('emergency access (break the glass)', () => {
  const who = person(30, ARRIVAL, { sex: 'female' });
  let id: string;
  let grant: Grant;
  let supervisorGrant: Grant;
  beforeAll(async () => {
    id = await openOne(api.stack, 'KZ', who);
  });

  it('is asked for with a reason by staff or supervisors who cannot see the pathway otherwise', async () => {
    expect((await api.read(PRAVO.staff, id)).statusCode).toBe(404);

    const noReason = expectProblem(await breakGlass(PRAVO.staff, id, { note: EMERGENCY.note }), 400, 'validation-failed');
    expect(noReason.fields.map((f: { path: string }) => f.path)).toEqual(['body.reason']);
    const shortNote = expectProblem(await breakGlass(PRAVO.staff, id, { ...EMERGENCY, note: '  urgent   ' }), 400, 'validation-failed');
    expect(shortNote.fields.map((f: { path: string }) => f.path)).toEqual(['body.note']);
    expectProblem(await breakGlass(PRAVO.staff, id, { ...EMERGENCY, minutes: 600 }), 400, 'validation-failed');
    // A justification is read by people: invisible characters count for nothing and hide nothing (issue 21, finding 5).
    for (const note of ['\u200B'.repeat(11), '\u3164'.repeat(11), '\u2800'.repeat(11), `\u202E${EMERGENCY.note}`, `a\u200Bb\u200Bc\u2060d\uFEFFe urgent`, '\u{E0041}'.repeat(11)]) {
      const invisible = expectProblem(await breakGlass(PRAVO.staff, id, { ...EMERGENCY, note }), 400, 'validation-failed');
      expect(invisible.fields.map((f: { path: string }) => f.path)).toEqual(['body.note']);
    }
    expect(expectProblem(await breakGlass(PRAVO.staff, id, { ...EMERGENCY, note: '\u200B'.repeat(11) }), 400, 'validation-failed').fields[0].message).toBe(
      'must not contain invisible or direction-changing characters',
    );

    expectProblem(await breakGlass(PRAVO.coordinator, id), 403, 'forbidden');
    const own = expectProblem(await breakGlass(MLSP.staff, id), 409, 'action-refused');
    expect(own.reason).toBe('not-needed');
    // Oversight supervisors read every pathway already.
    expect(expectProblem(await breakGlass(OMBUDSMAN, id), 409, 'action-refused').reason).toBe('not-needed');
    const none = expectProblem(await breakGlass(PRAVO.staff, randomUUID()), 404, 'not-found');
    expect(none.detail).toBe('There is no pathway with this id.');
    // Nothing was granted by any of these.
    expect((await api.read(PRAVO.staff, id)).statusCode).toBe(404);
  });

  it('lets the reader see the whole pathway for three hours by default, and act on nothing', async () => {
    const response = await breakGlass(PRAVO.staff, id);
    expect(response.statusCode, response.body).toBe(201);
    grant = response.json();
    expect(grant).toMatchObject({ id: expect.any(String), pathwayId: id, reason: 'medical-emergency' });
    expect(Date.parse(grant.expiresAt) - Date.now()).toBeGreaterThan(179 * 60_000);
    expect(Date.parse(grant.expiresAt) - Date.now()).toBeLessThanOrEqual(180 * 60_000 + 5_000);
    // Asking again while it lasts answers the same grant: it is neither prolonged nor doubled.
    const again = await breakGlass(PRAVO.staff, id, { reason: 'other', note: 'Asking a second time for the same emergency.' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(grant);

    const state = await accepted(await api.read(PRAVO.staff, id));
    expect(state.record).toMatchObject({ givenName: who.givenName, familyName: who.familyName });
    expect(state.stages.length).toBeGreaterThan(1);
    expect(state.availableActions).toEqual([]);
    expectProblem(await api.act(PRAVO.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }), 403, 'forbidden');
    // Another person of the same organisation has no access through it.
    expect((await api.read(PRAVO.coordinator, id)).statusCode).toBe(404);

    // A supervisor's own grant reads the state, not the audit trail or who read it.
    supervisorGrant = (await breakGlass(PRAVO.supervisor, id, { reason: 'child-protection', note: 'A report of a child at risk in her household.' })).json();
    expect((await api.read(PRAVO.supervisor, id)).statusCode).toBe(200);
    expectProblem(await api.history(PRAVO.supervisor, id), 404, 'not-found');
    expectProblem(await api.accessLog(PRAVO.supervisor, id), 404, 'not-found');
  });

  it("flags the grant and every read made with it in the pathway's access log", async () => {
    const log = (await accepted(await api.accessLog(MLSP.supervisor, id))).entries.filter((e: { actorId: string }) => e.actorId === PRAVO.staff.id);
    expect(log).toEqual([
      expect.objectContaining({ what: 'emergency-access', via: 'emergency', emergencyAccessId: grant.id, actorOrg: 'pravo', actorRole: 'staff' }),
      expect.objectContaining({ what: 'state', via: 'emergency', emergencyAccessId: grant.id }),
    ]);
  });

  it('binds a grant to the person and the role that asked: the same sign-in id in another role neither reads with it nor reviews it (issue 21, finding 6)', async () => {
    const asCoordinator: Actor = { ...PRAVO.staff, role: 'coordinator' };
    expectProblem(await api.read(asCoordinator, id), 404, 'not-found');
    const asOverseer: Actor = { id: PRAVO.staff.id, role: 'supervisor', org: 'oversight' };
    const own = expectProblem(await review(asOverseer, grant.id, { outcome: 'justified' }), 403, 'forbidden');
    expect(own.reason).toBe('four-eyes');
    expect((await accepted(await queue(OMBUDSMAN))).items.find((g: Queued) => g.id === grant.id).review).toBeNull();
  });

  it("puts every grant in the oversight organisation's review queue, oldest first, and nobody else's", async () => {
    const page = await accepted(await queue(OMBUDSMAN));
    expect(page.items.map((g: Queued) => g.id)).toEqual([grant.id, supervisorGrant.id]);
    expect(page.items[0]).toEqual({
      id: grant.id,
      pathwayId: id,
      actor: PRAVO.staff,
      reason: 'medical-emergency',
      note: EMERGENCY.note,
      grantedAt: expect.any(String),
      expiresAt: grant.expiresAt,
      reads: 1,
      review: null,
      // Whose record it was: the person as lists show them.
      person: { name: `${who.familyName} ${who.givenName} ${who.patronymic}`, nameHidden: false, birthDate: who.birthDate, birthDateEstimated: false, age: 30 },
    });
    expect(page.nextCursor).toBeNull();
    // Reading why someone needed the record is itself a read of the pathway.
    const log = (await accepted(await api.accessLog(MLSP.supervisor, id))).entries;
    expect(log).toContainEqual(expect.objectContaining({ actorId: OMBUDSMAN.id, what: 'emergency-access', via: 'oversight', emergencyAccessId: null }));
    const first = await accepted(await queue(OMBUDSMAN, '?limit=1'));
    expect(first.items.map((g: Queued) => g.id)).toEqual([grant.id]);
    const second = await accepted(await queue(OMBUDSMAN, `?limit=1&cursor=${first.nextCursor}`));
    expect(second.items.map((g: Queued) => g.id)).toEqual([supervisorGrant.id]);

    expectProblem(await queue(MLSP.supervisor), 403, 'forbidden');
    expectProblem(await queue(PRAVO.staff), 403, 'forbidden');
    expectProblem(await review(MLSP.supervisor, grant.id, { outcome: 'justified' }), 403, 'forbidden');
  });

  it('is reviewed once by an oversight supervisor, and leaves the queue of those waiting', async () => {
    const reviewed = await accepted(await review(OMBUDSMAN, grant.id, { outcome: 'justified', note: 'Hospital admission confirmed.' }));
    expect(reviewed).toMatchObject({ id: grant.id, reads: 1, review: { outcome: 'justified', by: 'ombudsman', at: expect.any(String), note: 'Hospital admission confirmed.' } });

    const waiting = await accepted(await queue(OMBUDSMAN));
    expect(waiting.items.map((g: Queued) => g.id)).toEqual([supervisorGrant.id]);
    const done = await accepted(await queue(OMBUDSMAN, '?status=reviewed'));
    expect(done.items).toEqual([{ ...reviewed, person: expect.objectContaining({ age: 30 }) }]);
    expect((await accepted(await queue(OMBUDSMAN, '?status=all'))).items).toHaveLength(2);

    const twice = expectProblem(await review(OMBUDSMAN, grant.id, { outcome: 'unjustified' }), 409, 'action-refused');
    expect(twice.reason).toBe('already-reviewed');
    expectProblem(await review(OMBUDSMAN, randomUUID(), { outcome: 'justified' }), 404, 'not-found');
    expectProblem(await review(OMBUDSMAN, supervisorGrant.id, { outcome: 'maybe' }), 400, 'validation-failed');
  });

  it('ends when it expires: the pathway answers 404 again, and a new emergency needs a new grant', async () => {
    // Expiry is checked against the database's clock (expires_at > now()), so moving the grant's
    // end into the past in the database is what three hours passing would do.
    await api.stack.db.pool.query(`update emergency_access set expires_at = now() - interval '1 second' where id = $1`, [grant.id]);
    expectProblem(await api.read(PRAVO.staff, id), 404, 'not-found');
    // The supervisor's grant is untouched.
    expect((await api.read(PRAVO.supervisor, id)).statusCode).toBe(200);

    const renewed = await breakGlass(PRAVO.staff, id, { reason: 'safety-risk', note: 'She called again: threats from a relative tonight.' });
    expect(renewed.statusCode).toBe(201);
    expect(renewed.json().id).not.toBe(grant.id);
    const waiting = await accepted(await queue(OMBUDSMAN));
    expect(waiting.items.map((g: Queued) => g.id)).toEqual([supervisorGrant.id, renewed.json().id]);
    // The reads the first grant allowed are still counted against it.
    const all = await accepted(await queue(OMBUDSMAN, '?status=reviewed'));
    expect(all.items[0]).toMatchObject({ id: grant.id, reads: 1 });
  });
});
