import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PersonRecord } from '../../src/domain/open.js';
import { call, expectProblem, startTestApi, tokenFor } from '../helpers/api.js';
import { parseCsv, readXlsx } from '../helpers/export-files.js';
import { ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { AKNIET, MLSP, PRAVO, until, useAgencies } from '../agencies/orgs.js';

const api = useAgencies();
const OMBUDSMAN: Actor = { id: 'ombudsman', role: 'supervisor', org: 'oversight' };
const arrival = { programme: 'KZ', operation: 'Zhusan', phase: '4', arrivalDate: ARRIVAL };
const BOM = '\uFEFF';
const fullName = (p: PersonRecord) => [p.familyName, p.givenName, p.patronymic].filter(Boolean).join(' ');

/** The export's transaction commits just after its last byte: waits for its log entry. */
const committed = (requestId: string) =>
  until(() => api.stack.db.pool.query('select 1 from export_log where request_id = $1 and finished', [requestId]), (r) => r.rowCount === 1);

const exportAs = (actor: Actor, path: string) => api.get(actor, `/v1/exports/${path}`);

describe('exports', () => {
  const people = [
    person(34, ARRIVAL, { familyName: 'Нурова', givenName: 'Айша', patronymic: 'Каримовна' }),
    person(8, ARRIVAL, { familyName: '=HYPERLINK("http://example.org","click")', givenName: 'Мадина', arrivedWith: 'mother' }),
    person(6, ARRIVAL, { familyName: '-Ali', givenName: '@Sum', patronymic: undefined, arrivedWith: 'mother' }),
  ];
  let mine: string[];
  let theirs: string[];

  beforeAll(async () => {
    const opened = await api.post(MLSP.coordinator, '/v1/cohorts', { ...arrival, people: people.map((p) => ({ familyGroupId: 'family-export', person: p })) });
    expect(opened.statusCode, opened.body).toBe(201);
    mine = opened.json().pathways.map((p: { id: string }) => p.id);
    const other = await api.post(PRAVO.coordinator, '/v1/cohorts', { ...arrival, people: [{ familyGroupId: 'family-other', person: person(29, ARRIVAL) }] });
    expect(other.statusCode, other.body).toBe(201);
    theirs = other.json().pathways.map((p: { id: string }) => p.id);
  });

  it('writes the pathways list as CSV: a byte order mark, `;`, Cyrillic intact, formulas as text, headings in the language asked', async () => {
    const answer = await exportAs(MLSP.supervisor, 'pathways?familyGroup=family-export&reason=case-conference&lang=ru');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="pathways-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = answer.rawPayload.toString('utf8');
    expect(text.startsWith(BOM)).toBe(true);
    const [headings, ...rows] = await parseCsv(text.slice(1));
    expect(headings!.slice(0, 7)).toEqual(['Идентификатор маршрута', 'Программа', 'Операция', 'Этап операции', 'Дата прибытия', 'Семейная группа', 'ФИО']);
    const name = headings!.indexOf('ФИО');
    expect(rows.map((r) => r[0]).sort()).toEqual([...mine].sort());
    // A name starting with a formula character gets an apostrophe; one with it further in is left as it is.
    expect(rows.map((r) => r[name]).sort()).toEqual(people.map(fullName).map((n) => (/^[-=+@]/.test(n) ? `'${n}` : n)).sort());
    expect(rows.map((r) => r[name])).toContain("'-Ali @Sum");
    const sep = await exportAs(MLSP.supervisor, 'pathways?familyGroup=family-export&reason=audit&separator=,');
    const [english] = await parseCsv(sep.rawPayload.toString('utf8').slice(1), ',');
    expect(english!.slice(0, 2)).toEqual(['Pathway id', 'Programme']);
  });

  it('writes XLSX that reads back with every name as a text cell, never a formula', async () => {
    const answer = await exportAs(MLSP.coordinator, 'pathways?familyGroup=family-export&reason=court-request&format=xlsx');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheet = await readXlsx(answer.rawPayload);
    expect(sheet.name).toBe('Pathways');
    const headings = (sheet.getRow(1).values as unknown[]).slice(1);
    const nameColumn = headings.indexOf('Name') + 1;
    const cells = [2, 3, 4].map((n) => sheet.getRow(n).getCell(nameColumn));
    for (const cell of cells) expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cells.map((c) => c.value).sort()).toEqual(people.map(fullName).sort());
    expect(sheet.rowCount).toBe(4);
  });

  it('refuses an export that names people without a reason, and bad input, as problems with errors[]', async () => {
    const missing = expectProblem(await exportAs(MLSP.supervisor, 'pathways'), 400, 'validation-failed');
    expect(missing.errors).toEqual([expect.objectContaining({ code: 'export-needs-reason', in: 'querystring', params: { options: expect.arrayContaining(['audit']) } })]);
    expectProblem(await exportAs(MLSP.staff, 'worklist'), 400, 'validation-failed');
    const bad = expectProblem(await exportAs(MLSP.supervisor, 'pathways?reason=curiosity&format=pdf'), 400, 'validation-failed');
    expect(bad.errors.map((e: { code: string }) => e.code)).toEqual(['not-one-of', 'not-one-of']);
    expectProblem(await exportAs(MLSP.supervisor, 'caseload?reason=audit'), 400, 'validation-failed');
    expect((await exportAs(MLSP.staff, 'pathways?reason=audit')).statusCode).toBe(403);
  });

  it("logs each pathway exported once, in one statement, and never another organisation's", async () => {
    const answer = await exportAs(MLSP.supervisor, 'pathways?reason=donor-report&note=Quarterly%20figures');
    expect(answer.statusCode).toBe(200);
    const requestId = answer.headers['x-request-id'] as string;
    const rows = (await parseCsv(answer.rawPayload.toString('utf8').slice(1))).slice(1).map((r) => r[0]);
    expect(rows).toEqual(expect.arrayContaining(mine));
    for (const id of theirs) expect(rows).not.toContain(id);
    await committed(requestId);
    const { rows: logged } = await api.stack.db.pool.query(
      `select pathway_id as id, what, via, xmin::text as tx, cmin::text as statement from access_log where request_id = $1`, [requestId]);
    expect(logged.map((r) => r.id).sort()).toEqual([...rows].sort());
    expect(new Set(logged.map((r) => r.what))).toEqual(new Set(['export']));
    // One transaction, one command within it: a single insert for the whole file.
    expect(new Set(logged.map((r) => `${r.tx}/${r.statement}`)).size).toBe(1);
  });

  it('exports the worklist and the reports; reports need no reason and touch no access log', async () => {
    const work = await exportAs(MLSP.staff, 'worklist?reason=case-conference&format=xlsx');
    expect(work.statusCode, work.body).toBe(200);
    const sheet = await readXlsx(work.rawPayload);
    expect(sheet.rowCount).toBeGreaterThan(1);
    const caseload = await exportAs(MLSP.supervisor, 'caseload');
    expect(caseload.statusCode, caseload.body).toBe(200);
    const [headings, ...lines] = await parseCsv(caseload.rawPayload.toString('utf8').slice(1));
    expect(headings).toEqual(['Programme', 'Men', 'Women', 'Children', 'Total', 'Open']);
    expect(lines.find((l) => l[0] === 'KZ')!.slice(2, 4).map(Number)).toEqual(expect.arrayContaining([2]));
    const durations = await exportAs(MLSP.supervisor, 'stage-durations?format=xlsx&lang=ru');
    expect(durations.statusCode).toBe(200);
    expect((await readXlsx(durations.rawPayload)).getRow(1).getCell(1).value).toBe('Программа');
    await committed(caseload.headers['x-request-id'] as string);
    const { rowCount } = await api.stack.db.pool.query('select 1 from access_log where request_id = $1', [caseload.headers['x-request-id']]);
    expect(rowCount).toBe(0);
  });

  it("lists exports to the organisation's supervisors (oversight: all), not to staff", async () => {
    const answer = await exportAs(PRAVO.supervisor, 'pathways?reason=other&note=Check');
    expect(answer.statusCode).toBe(200);
    await committed(answer.headers['x-request-id'] as string);
    const log = (await api.get(MLSP.supervisor, '/v1/exports?limit=200')).json();
    expect(log.items.every((e: { actorOrg: string }) => e.actorOrg === 'mlsp')).toBe(true);
    const donor = log.items.find((e: { reason: string }) => e.reason === 'donor-report');
    expect(donor).toMatchObject({ actorId: MLSP.supervisor.id, actorRole: 'supervisor', list: 'pathways', format: 'csv', personal: true, reasonNote: 'Quarterly figures', finished: true });
    expect(donor.rows).toBe(donor.pathways);
    const report = log.items.find((e: { list: string }) => e.list === 'caseload');
    expect(report).toMatchObject({ personal: false, reason: null, pathways: 0, filters: { by: 'programme' } });
    const filtered = log.items.find((e: { reason: string; filters: object }) => e.reason === 'case-conference' && 'familyGroup' in e.filters);
    expect(filtered.filters).toEqual({ familyGroup: 'family-export' });
    expect((await api.get(PRAVO.supervisor, '/v1/exports')).json().items.map((e: { actorOrg: string }) => e.actorOrg)).toEqual(['pravo']);
    const all = (await api.get(OMBUDSMAN, '/v1/exports?limit=200')).json().items.map((e: { actorOrg: string }) => e.actorOrg);
    expect(new Set(all)).toEqual(new Set(['mlsp', 'pravo']));
    expect((await api.get(MLSP.staff, '/v1/exports')).statusCode).toBe(403);
    expect((await api.get(MLSP.coordinator, '/v1/exports')).statusCode).toBe(403);
  });

  it('logs a file the caller stopped reading: every pathway in the access log, the rows sent, not finished', async () => {
    // Enough people that the file cannot all be in flight at once, written straight into PostgreSQL.
    const many = 20_000;
    await api.stack.db.pool.query(
      `with ids as materialized (select gen_random_uuid() as id from generate_series(1, $1)),
            p as (insert into pathways (id, programme, operation, arrival_date, sex, age_band, is_child, template_version, opened_by, opened_org)
                  select id, 'KZ', 'Zhusan', current_date, 'female', '18-59', false, 1, $2, $3 from ids),
            o as (insert into pathway_organisations (pathway_id, organisation) select id, $3 from ids)
       insert into people (pathway_id, given_name, family_name, birth_date, given_folded, family_folded, name_words, fold_version)
       select id, 'Айгерим', 'Сеитова', date '1990-03-01', 'aigerim', 'seitova', array['aigerim', 'seitova'], 1 from ids`,
      [many, AKNIET.coordinator.id, AKNIET.coordinator.org],
    );
    const app = await startTestApi(api.stack);
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      const token = await tokenFor(api.stack, AKNIET.supervisor);
      const requestId = `export-left-${Date.now()}`;
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/exports/pathways?reason=audit', headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
        req.end();
      });
      const { rows } = await until(
        () => api.stack.db.pool.query('select pathways, rows_sent, finished from export_log where request_id = $1 and rows_sent is not null', [requestId]),
        (r) => r.rowCount === 1,
      );
      expect(rows[0]).toMatchObject({ pathways: many, finished: false });
      expect(rows[0].rows_sent).toBeLessThan(many);
      const logged = await api.stack.db.pool.query('select count(*)::int as n from access_log where request_id = $1', [requestId]);
      expect(logged.rows[0].n).toBe(many);
    } finally {
      await app.close();
    }
  });

  it('logs the pathways before the first byte, writes at most four files at once, and answers a fifth 429 when none frees up', async () => {
    const app = await startTestApi(api.stack);
    const held: ReturnType<typeof httpRequest>[] = [];
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      const token = await tokenFor(api.stack, AKNIET.supervisor);
      const ids = [1, 2, 3, 4].map((i) => `export-held-${i}-${Date.now()}`);
      // Four readers that take the first bytes and then nothing more.
      await Promise.all(ids.map((requestId) => new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/exports/pathways?reason=audit', headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } }, (res) => {
          res.once('data', () => {
            res.pause();
            resolve();
          });
        });
        req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
        req.end();
        held.push(req);
      })));
      // Their files are not finished, but who took which pathways away is already committed.
      const logged = await api.stack.db.pool.query('select request_id, rows_sent, pathways from export_log where request_id = any($1)', [ids]);
      expect(logged.rows.map((r) => [r.rows_sent, r.pathways > 0])).toEqual(ids.map(() => [null, true]));
      const fifth = await call(app, api.stack, AKNIET.supervisor, { method: 'GET', url: '/v1/exports/stage-durations' });
      expect(expectProblem(fifth, 429, 'rate-limited')).toBeDefined();
      expect(fifth.headers['retry-after']).toBeDefined();
      for (const req of held) req.destroy();
      await until(() => call(app, api.stack, AKNIET.supervisor, { method: 'GET', url: '/v1/exports/stage-durations' }), (answer: { statusCode: number }) => answer.statusCode === 200);
    } finally {
      for (const req of held) req.destroy();
      await app.close();
    }
  });
});
