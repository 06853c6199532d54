// Organisations are a declared directory, not free text (issue 21, finding 9).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import type { Actor } from '../../src/domain/model.js';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { TEST_JWT_SECRET } from '../helpers/stack.js';
import { accepted, MLSP, useAgencies } from './orgs.js';

/** The development directory, and an organisation that works in Tajikistan's programme only. */
const DIRECTORY = path.join(mkdtempSync(path.join(os.tmpdir(), 'pathways-directory-')), 'organisations.json');
const development = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'organisations.json'), 'utf8'));
writeFileSync(
  DIRECTORY,
  JSON.stringify({ organisations: [...development.organisations, { id: 'dushanbe-care', kind: 'ngo', names: { en: 'Dushanbe care', ru: 'Душанбе-забота' }, programmes: ['TJ'] }] }),
);
const api = useAgencies({ env: { ORGANISATIONS_FILE: DIRECTORY } });

const REFERRAL = { stage: 'psychosocial', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };

/** A token signed like a development one, naming any organisation. */
async function tokenOf(org: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'supervisor', org }).setProtectedHeader({ alg: 'HS256' }).setSubject('supervisor-x').setIssuedAt(now).setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

describe('the organisation directory', () => {
  it('lists every organisation with its kind, names and programmes', async () => {
    const { items } = await accepted(await api.get(MLSP.staff, '/v1/organisations'));
    expect(items.map((o: { id: string }) => o.id)).toEqual(['mlsp', 'akniet', 'pravo', 'clinic', 'oversight', 'dushanbe-care']);
    expect(items.at(-1)).toEqual({ id: 'dushanbe-care', kind: 'ngo', names: { en: 'Dushanbe care', ru: 'Душанбе-забота' }, programmes: ['TJ'] });
  });

  it('refuses a token naming an organisation it does not declare, however close the spelling', async () => {
    for (const org of ['OVERSIGHT', 'Mlsp', 'nowhere']) {
      const response = await api.anonymous({ method: 'GET', url: '/v1/worklist', headers: { authorization: `Bearer ${await tokenOf(org)}` } });
      expect(expectProblem(response, 401, 'unauthorized').detail).toBe('The token names an organisation this service does not know.');
    }
    const known = await api.anonymous({ method: 'GET', url: '/v1/emergency-access', headers: { authorization: `Bearer ${await tokenOf('oversight')}` } });
    expect(known.statusCode).toBe(200);
  });

  it('refers work, transfers and reassigns only to declared organisations that work in the pathway\'s programme', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const unknown = expectProblem(await api.act(MLSP.staff, id, 'referral.create', { ...REFERRAL, to: 'MLSP' }), 400, 'validation-failed');
    expect(unknown.fields).toEqual([{ path: 'payload.to', message: 'must be an organisation of the directory (mlsp, akniet, pravo, clinic, oversight, dushanbe-care)' }]);
    const elsewhere = expectProblem(await api.act(MLSP.staff, id, 'referral.create', { ...REFERRAL, to: 'dushanbe-care' }), 400, 'validation-failed');
    expect(elsewhere.fields).toEqual([{ path: 'payload.to', message: 'dushanbe-care does not work in programme KZ' }]);
    const transfer = expectProblem(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'dushanbe-care' }), 400, 'validation-failed');
    expect(transfer.fields).toEqual([{ path: 'payload.to', message: 'dushanbe-care does not work in programme KZ' }]);
    const reassigned = expectProblem(await api.act(MLSP.supervisor, id, 'pathway.reassign', { organisations: ['mlsp', 'Pravo'] }), 400, 'validation-failed');
    expect(reassigned.fields).toEqual([{ path: 'payload.organisations.1', message: expect.stringMatching(/^must be an organisation of the directory/) }]);
    expect((await accepted(await api.read(MLSP.supervisor, id))).referrals).toBeUndefined();
    await accepted(await api.act(MLSP.staff, id, 'referral.create', { ...REFERRAL, to: 'akniet' }));
  });

  it("lists the people of one's own organisation its sign-in has seen, for assignment, and nobody else's", async () => {
    const dana: Actor = { id: 'staff-dana-directory', role: 'staff', org: 'mlsp' };
    await api.signIn(dana);
    const { items } = await accepted(await api.get(MLSP.coordinator, '/v1/organisations/mlsp/people'));
    expect(items).toContainEqual({ id: dana.id, role: 'staff', lastSeenAt: expect.any(String) });
    expectProblem(await api.get(MLSP.coordinator, '/v1/organisations/pravo/people'), 403, 'forbidden');
    expectProblem(await api.get(MLSP.staff, '/v1/organisations/mlsp/people'), 403, 'forbidden');
  });
});
