import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import iconv from 'iconv-lite';
import { describe, expect, inject, it } from 'vitest';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person, PERSONAL_VALUES_FILE } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)));

/** Names as they are written in Russian-speaking registries: capitals, ё, й, щ, ъ, э, ю, я. */
const PEOPLE = [
  { familyName: 'Абдуллаев', givenName: 'Мухаммад', patronymic: 'Рустамович', sex: 'male' },
  { familyName: 'Каримова', givenName: 'Айша', patronymic: 'Фаридовна', sex: 'female' },
  { familyName: 'Щукина', givenName: 'Эльвира', patronymic: 'Юрьевна', sex: 'female' },
  { familyName: 'Юсупов', givenName: 'Ильёс', patronymic: 'Объединович', sex: 'male' },
];
appendFileSync(path.join(inject('dataDir'), PERSONAL_VALUES_FILE), `${PEOPLE.flatMap((p) => [p.familyName, p.givenName, p.patronymic]).join('\n')}\n`);

/**
 * The same people as a spreadsheet in Russian saves them: semicolons, dates as DD.MM.YYYY. Each
 * file's people are born in another month, so no file's people are another's.
 */
function csvText(month: number): string {
  const rows = PEOPLE.map((p, index) => [p.familyName, p.givenName, p.patronymic, p.sex, `${10 + index}.${String(month).padStart(2, '0')}.1990`, 'adult', 'да'].join(';'));
  return `familyName;givenName;patronymic;sex;birthDate;arrivedWith;hasIdentityDocument;Примечание\r\n${rows.join('\r\n')}\r\n`;
}

const upload = (body: Buffer, contentType = 'text/csv') =>
  call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts/csv', payload: body, headers: { 'content-type': contentType } });

const arrival = { programme: 'KZ', operation: 'Zhusan', phase: '1', arrivalDate: ARRIVAL };

describe('a cohort CSV file as people save it (POST /v1/cohorts/csv)', () => {
  const files: [string, number, (text: string) => Buffer][] = [
    ['windows-1251', 1, (text) => iconv.encode(text, 'windows-1251')],
    ['KOI8-R', 2, (text) => iconv.encode(text, 'koi8-r')],
    ['UTF-16LE', 3, (text) => iconv.encode(text, 'utf-16le', { addBOM: true })],
    ['UTF-16BE', 4, (text) => iconv.encode(text, 'utf-16be', { addBOM: true })],
    ['UTF-8', 5, (text) => iconv.encode(text, 'utf-8', { addBOM: true })],
    ['UTF-8', 6, (text) => Buffer.from(text)],
    // Without its byte-order mark, as some tools write it.
    ['UTF-16LE', 7, (text) => iconv.encode(text, 'utf-16le')],
  ];

  it.each(files)('reads a %s file (#%i) with the names as written, and opens them so', async (encoding, month, encode) => {
    const read = await upload(encode(csvText(month)), month % 2 ? 'text/csv' : 'application/octet-stream');
    expect(read.statusCode, read.body).toBe(200);
    const file = read.json();
    expect(file.encoding).toBe(encoding);
    expect(file.unknownColumns).toEqual(['Примечание']);
    expect(file.problems).toEqual([]);
    expect(file.lines).toEqual([2, 3, 4, 5]);
    expect(file.people.map((entry: { person: Record<string, unknown> }) => [entry.person.familyName, entry.person.givenName, entry.person.patronymic])).toEqual(
      PEOPLE.map((p) => [p.familyName, p.givenName, p.patronymic]),
    );
    expect(file.people[0].person).toMatchObject({ birthDate: `10.${String(month).padStart(2, '0')}.1990`, hasIdentityDocument: true });

    // What the console does next: the preview, then the opening, with the entries as given.
    const body = { ...arrival, people: file.people };
    const preview = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts?dryRun=true', payload: body });
    expect(preview.statusCode, preview.body).toBe(200);
    const opened = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts', payload: body });
    expect(opened.statusCode, opened.body).toBe(201);
    const ids: string[] = opened.json().pathways.map((p: { id: string }) => p.id);
    for (const [index, id] of ids.entries()) {
      const record = (await call(app, stack, ACTORS.coordinator, { method: 'GET', url: `/v1/pathways/${id}` })).json().record;
      expect(record).toMatchObject({ familyName: PEOPLE[index]!.familyName, givenName: PEOPLE[index]!.givenName, patronymic: PEOPLE[index]!.patronymic });
      // Typed DD.MM.YYYY, kept as a date.
      expect(record.birthDate).toBe(`1990-${String(month).padStart(2, '0')}-${10 + index}`);
    }
  });

  it('tells Windows-1251 from KOI8-R for names alone, in capitals too', async () => {
    for (const text of ['familyName,givenName\nЛи,Ян\n', 'familyName,givenName\nАЛИЕВ,АЙША\nЭРГАШЕВ,ШУХРАТ\n', 'familyName,givenName\nЖуков,Яков\n']) {
      for (const encoding of ['windows-1251', 'KOI8-R']) {
        const file = (await upload(iconv.encode(text, encoding))).json();
        expect(file.encoding).toBe(encoding);
        expect(file.people.map((e: { person: { familyName: string } }) => e.person.familyName)).toEqual(text.split('\n').slice(1, -1).map((line) => line.split(',')[0]));
      }
    }
  });

  it('refuses what is not a text file, saying what it is and to save it as CSV', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const refused = expectProblem(await upload(png, 'application/octet-stream'), 400, 'unreadable-file');
    expect(refused.reason).toBe('image');
    expect(refused.detail).toMatch(/PNG image, not a CSV file.*Save it from the spreadsheet as CSV/);

    const xlsx = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)]);
    const workbook = expectProblem(await upload(xlsx), 400, 'unreadable-file');
    expect(workbook.reason).toBe('spreadsheet');
    expect(workbook.detail).toMatch(/Excel workbook/);

    const noise = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256));
    const binary = expectProblem(await upload(noise), 400, 'unreadable-file');
    expect(binary.reason).toBe('not-text');
    expect(binary.detail).toMatch(/not text in an encoding this service reads \(UTF-8, UTF-16, Windows-1251 or KOI8-R\)/);

    expect(expectProblem(await upload(Buffer.alloc(0)), 400, 'unreadable-file').reason).toBe('empty');
  });

  it('takes the file as bytes only, from coordinators only', async () => {
    const json = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts/csv', payload: { people: [] } });
    expectProblem(json, 415, 'unsupported-media-type');
    const staff = await call(app, stack, ACTORS.staff, { method: 'POST', url: '/v1/cohorts/csv', payload: Buffer.from('a,b\n'), headers: { 'content-type': 'text/csv' } });
    expectProblem(staff, 403, 'forbidden');
    expectProblem(await upload(Buffer.alloc(1024 * 1024 + 1, 0x41)), 413, 'payload-too-large');
  });
});

describe('dates as DD.MM.YYYY', () => {
  it('opens one pathway with its arrival and birth date so, and keeps them as dates', async () => {
    const [y, m, d] = ARRIVAL.split('-');
    const response = await call(app, stack, ACTORS.coordinator, {
      method: 'POST',
      url: '/v1/pathways',
      payload: { ...arrival, arrivalDate: `${d}.${m}.${y}`, person: person(30, ARRIVAL, { birthDate: '07.11.1994' }) },
    });
    expect(response.statusCode, response.body).toBe(201);
    const state = (await call(app, stack, ACTORS.coordinator, { method: 'GET', url: `/v1/pathways/${response.json().id}` })).json();
    expect(state.record.birthDate).toBe('1994-11-07');
    expect(state.arrivalDate).toBe(ARRIVAL);
  });

  it('takes a birth month as MM.YYYY in a cohort', async () => {
    const people = [{ person: person(30, ARRIVAL, { birthDate: '03.1993', arrivedWith: 'adult' }) }];
    const preview = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts?dryRun=true', payload: { ...arrival, people } });
    expect(preview.statusCode, preview.body).toBe(200);
  });

  it('refuses a day that does not exist, saying so', async () => {
    const people = [{ person: person(30, ARRIVAL, { birthDate: '31.02.2020' }) }, { person: person(30, ARRIVAL, { birthDate: '2020.02.01' }) }];
    const refused = expectProblem(await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts?dryRun=true', payload: { ...arrival, arrivalDate: '31.02.2020', people } }), 400, 'validation-failed');
    const messages = Object.fromEntries(refused.fields.map((f: { path: string; message: string }) => [f.path, f.message]));
    expect(messages['body.arrivalDate']).toBe('must be a real calendar date');
    expect(messages['body.people.0.person.birthDate']).toBe('must be a real calendar date after 1900');
    expect(messages['body.people.1.person.birthDate']).toMatch(/must be a date as YYYY-MM-DD or DD\.MM\.YYYY/);
  });
});
