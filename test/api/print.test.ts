import { describe, expect, it, beforeAll } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { pdfText } from '../helpers/pdf-text.js';
import { person } from '../helpers/people.js';
import { accepted, CLINIC, MLSP, PRAVO, useAgencies } from '../agencies/orgs.js';

const api = useAgencies();

/** The access-log rows one request wrote. */
async function logged(requestId: string) {
  const { rows } = await api.stack.db.pool.query<{ what: string; via: string; actor: string }>(
    'select what, via, actor_id as actor from access_log where request_id = $1 order by id',
    [requestId],
  );
  return rows;
}

const REFERRAL = { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };
// Born in October 1996, day unknown: her birth date is estimated, and the pathway notes it.
const ANNA = { givenName: 'Айгерим', familyName: 'Каримова', patronymic: 'Рустамовна', sex: 'female' as const, birthDate: '1996-10' };

describe('a case summary on paper and as a PDF', () => {
  let id: string;
  let referral: string;

  beforeAll(async () => {
    id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, ANNA));
    referral = (await accepted(await api.act(MLSP.staff, id, 'referral.create', REFERRAL))).state.referrals.at(-1).id;
  });

  const download = (actor: Actor = MLSP.staff, lang = 'ru') => api.get(actor, `/v1/pathways/${id}/summary.pdf?lang=${lang}`);

  it('downloads in Russian with the person named in Cyrillic and the pathway in Russian words, logged once', async () => {
    const response = await download();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    // The file is named by the pathway, never by the person.
    expect(response.headers['content-disposition']).toBe(`attachment; filename="pathway-${id}.pdf"`);
    const text = (await pdfText(response.rawPayload)).join('\n');
    expect(text).toContain('Каримова Айгерим Рустамовна');
    for (const words of ['Сводка по делу', 'Программа', 'Медицинское обследование', 'Активен', 'Карантин', 'Психосоциальная поддержка', 'Центр правовой помощи «Право»', 'Открытые направления']) {
      expect(text).toContain(words);
    }
    expect(text).toContain(id);
    // The pathway's own note, told in Russian as the console tells it.
    expect(text).toContain('дата рождения приблизительная');
    expect(text).toContain('1996-10 (приблизительно)');
    expect(text).not.toMatch(/Medical|Programme|Case summary|estimated/);

    const rows = await logged(response.headers['x-request-id'] as string);
    expect(rows).toEqual([{ what: 'download-summary', via: 'organisation', actor: MLSP.staff.id }]);
    // The pathway's own supervisors see the download among who read it.
    const { entries } = await accepted(await api.accessLog(MLSP.supervisor, id));
    expect(entries.filter((e: { what: string }) => e.what === 'download-summary')).toHaveLength(1);
  });

  it('downloads in English when asked, and refuses a language the console does not have', async () => {
    const text = (await pdfText((await download(MLSP.staff, 'en')).rawPayload)).join('\n');
    expect(text).toContain('Каримова Айгерим Рустамовна');
    expect(text).toContain('Case summary');
    expect(text).not.toContain('Медицинское обследование');
    const refused = await download(MLSP.staff, 'xx');
    expectProblem(refused, 400, 'validation-failed');
    expect(await logged(refused.headers['x-request-id'] as string)).toEqual([]);
  });

  it('is not found for an organisation that does not work on the pathway, and nothing is logged', async () => {
    const response = await download(CLINIC.staff);
    expectProblem(response, 404, 'not-found');
    expect(await logged(response.headers['x-request-id'] as string)).toEqual([]);
  });

  it("shows a referral's receiver the referred stage only", async () => {
    await accepted(await api.act(PRAVO.coordinator, id, 'referral.accept', { referral }));
    const response = await download(PRAVO.coordinator);
    expect(response.statusCode, response.body).toBe(200);
    const text = (await pdfText(response.rawPayload)).join('\n');
    expect(text).toContain('Психосоциальная поддержка');
    expect(text).not.toContain('Медицинское обследование');
    expect(await logged(response.headers['x-request-id'] as string)).toEqual([{ what: 'download-summary', via: 'referral', actor: PRAVO.coordinator.id }]);
  });

  it('warns on paper when the name is hidden in lists, and still names the person in full', async () => {
    await accepted(await api.act(MLSP.supervisor, id, 'pathway.hide-name', { hidden: true }));
    const text = (await pdfText((await download()).rawPayload)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Каримова Айгерим Рустамовна');
    expect(text).toContain('Имя этого человека скрыто в списках');
  });

  it('logs each print of the summary and of a referral letter; a letter for no such referral is not found', async () => {
    const summary = await api.post(MLSP.staff, `/v1/pathways/${id}/prints`, { kind: 'summary' });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(await logged(summary.headers['x-request-id'] as string)).toEqual([{ what: 'print-summary', via: 'organisation', actor: MLSP.staff.id }]);

    const letter = await api.post(MLSP.staff, `/v1/pathways/${id}/prints`, { kind: 'referral-letter', referralId: referral });
    expect(letter.statusCode, letter.body).toBe(200);
    expect(await logged(letter.headers['x-request-id'] as string)).toEqual([{ what: 'print-letter', via: 'organisation', actor: MLSP.staff.id }]);

    expectProblem(await api.post(MLSP.staff, `/v1/pathways/${id}/prints`, { kind: 'referral-letter', referralId: '999999' }), 404, 'not-found');
    expectProblem(await api.post(MLSP.staff, `/v1/pathways/${id}/prints`, { kind: 'poster' }), 400, 'validation-failed');
    expectProblem(await api.post(CLINIC.staff, `/v1/pathways/${id}/prints`, { kind: 'summary' }), 404, 'not-found');
  });
});
