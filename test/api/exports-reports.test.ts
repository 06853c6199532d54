import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { PRAVO, until } from '../agencies/orgs.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { parseCsv, readXlsx } from '../helpers/export-files.js';
import { ACTORS } from '../helpers/pathways.js';
import { HAND_COUNTED, writeReportRows } from '../helpers/report-rows.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)), { worker: false });

const OVERSIGHT: Actor = { id: 'supervisor-olga', role: 'supervisor', org: 'oversight' };
const get = (actor: Actor, url: string) => call(app, stack, actor, { method: 'GET', url });
const INDICATORS = ['placement', 'document', 'school', 'followUpEnded'] as const;

/** A CSV file's rows, headings first. */
async function csv(actor: Actor, url: string) {
  const answer = await get(actor, url);
  expect(answer.statusCode, answer.body).toBe(200);
  expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
  return { rows: await parseCsv(answer.rawPayload.toString('utf8').slice(1)), requestId: answer.headers['x-request-id'] as string };
}

/** An XLSX file's cells as exceljs reads them back: null for an empty cell. */
async function xlsx(actor: Actor, url: string) {
  const answer = await get(actor, url);
  expect(answer.statusCode, answer.body).toBe(200);
  const sheet = await readXlsx(answer.rawPayload);
  const rows: { value: ExcelJS.CellValue; type: ExcelJS.ValueType }[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => rows.push(Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1)).map((c) => ({ value: c.value, type: c.type }))));
  return { sheet, rows };
}

/** What a cell of the JSON answer becomes in a CSV file: numbers as written, null as empty. */
const text = (value: number | null) => (value === null ? '' : String(value));
const share = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

beforeAll(async () => {
  await writeReportRows(stack.db.pool, HAND_COUNTED);
});

describe('the indicators as a file', () => {
  it('has one row per programme and indicator, the figures of GET /v1/reports/indicators', async () => {
    const body = (await get(ACTORS.supervisor, '/v1/reports/indicators')).json();
    const { rows: [headings, ...lines] } = await csv(ACTORS.supervisor, '/v1/exports/indicators');
    expect(headings).toEqual(['Programme', 'Indicator', 'People', 'Reached', 'Still waiting', 'Median days', '90th percentile, days', 'Target, days', 'Share within the target']);
    expect(lines.map((l) => `${l[0]} ${l[1]}`)).toEqual(['KG', 'KZ', 'UZ'].flatMap((p) => INDICATORS.map((i) => `${p} ${i}`)));
    // By hand: 14 people, 8 placed, the median on day 70, the 90th percentile never, 5 of 14 within 45 days.
    expect(lines.find((l) => l[0] === 'KZ' && l[1] === 'placement')).toEqual(['KZ', 'placement', '14', '8', '6', '70', '', '45', '0.357']);
    for (const p of body.programmes) {
      for (const indicator of INDICATORS) {
        const e = p[indicator];
        const line = lines.find((l) => l[0] === p.programme && l[1] === indicator)!;
        // Nobody on the clock: no one counted, no duration.
        if (e === null) expect(line.slice(2, 7)).toEqual(['0', '0', '0', '', '']);
        else expect(line.slice(2)).toEqual([e.people, e.reached, e.stillWaiting, e.medianDays, e.p90Days, e.targetDays, share(e.withinTarget)].map(text));
      }
    }
  });

  it('reads back from XLSX with numbers as numbers, empty cells empty, headings and sheet in Russian', async () => {
    const { sheet, rows } = await xlsx(ACTORS.supervisor, '/v1/exports/indicators?format=xlsx&lang=ru&programme=KZ');
    expect(sheet.name).toBe('Показатели результатов');
    expect(rows[0]!.slice(0, 2).map((c) => c.value)).toEqual(['Программа', 'Показатель']);
    expect(rows).toHaveLength(1 + INDICATORS.length);
    expect(rows[1]!.map((c) => c.value)).toEqual(['KZ', 'placement', 14, 8, 6, 70, null, 45, 0.357]);
    expect(rows[1]![2]!.type).toBe(ExcelJS.ValueType.Number);
  });

  it("counts the caller's organisation's pathways only (oversight: all), with the route's filters", async () => {
    const people = async (actor: Actor, query = '') => (await csv(actor, `/v1/exports/indicators${query}`)).rows.slice(1).find((l) => l[0] === 'KZ' && l[1] === 'placement')?.[2];
    expect([await people(ACTORS.supervisor), await people(OVERSIGHT)]).toEqual(['14', '15']);
    expect(await people(ACTORS.supervisor, '?sex=female')).toBe('14');
    expect((await csv(ACTORS.supervisor, '/v1/exports/indicators?programme=UZ')).rows.slice(1).map((l) => l[0])).toEqual(INDICATORS.map(() => 'UZ'));
    // An organisation with no pathway: the headings alone.
    expect((await csv(PRAVO.supervisor, '/v1/exports/indicators')).rows).toHaveLength(1);
  });
});

describe('the statistics as a file', () => {
  /** Each line of the file by table, row and column. */
  const keyed = (lines: string[][]) => new Map(lines.map((l) => [`${l[0]} ${l[1]} ${l[2]}`, { value: l[3], hidden: l[4], note: l[5] }]));

  it('is one long table of the cells of GET /v1/statistics, every hidden cell empty, saying nothing of why', async () => {
    const body = (await get(ACTORS.supervisor, '/v1/statistics')).json();
    const { rows: [headings, ...lines] } = await csv(ACTORS.supervisor, '/v1/exports/statistics');
    expect(headings).toEqual(['Table', 'Row', 'Column', 'Value', 'Hidden', 'Note']);
    const file = keyed(lines);
    expect(file.size).toBe(lines.length);
    type Cell = { count: number | null; suppressed: boolean };
    const expected = (c: Cell) => ({ value: text(c.count), hidden: String(c.suppressed), note: '' });
    const entry = (key: string, c: Cell | null | undefined) => (c ? expect(file.get(key)).toEqual(expected(c)) : expect(file.has(key)).toBe(false));
    for (const name of ['people', 'placements', 'documents', 'enrolments', 'followUp']) {
      const table = body[name];
      table.rows.forEach((row: string, r: number) => {
        table.columns.forEach((column: string, c: number) => entry(`${name} ${row} ${column}`, table.cells[r][c]));
        entry(`${name} ${row} total`, table.rowTotals?.[r]);
      });
      table.columns.forEach((column: string, c: number) => entry(`${name} total ${column}`, table.columnTotals?.[c]));
      entry(`${name} total total`, table.total);
    }
    // By hand: the one Kyrgyz child is hidden, and at least one more cell with it.
    expect(file.get('people KG children')).toEqual({ value: '', hidden: 'true', note: '' });
    expect(lines.filter((l) => l[4] === 'true').length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(['true', 'false']).toContain(line[4]);
      if (line[4] === 'true') expect({ line, value: line[3] }).toEqual({ line, value: '' });
      expect(['', 'not-reached']).toContain(line[5]);
    }
  });

  it('writes the waiting times as tables waiting-<indicator>: durations hidden or not reached are empty, and not reached says so', async () => {
    const file = keyed((await csv(ACTORS.supervisor, '/v1/exports/statistics?programme=KZ')).rows.slice(1));
    const kz = (column: string) => file.get(`waiting-placement KZ ${column}`);
    expect([kz('people'), kz('reached'), kz('stillWaiting')].map((c) => c?.value)).toEqual(['14', '8', '6']);
    expect(kz('medianDays')).toEqual({ value: '70', hidden: 'false', note: '' });
    expect(kz('p90Days')).toEqual({ value: '', hidden: 'false', note: 'not-reached' });
    expect(kz('withinTarget')).toEqual({ value: '0.36', hidden: 'false', note: '' });
    // Three placed in Uzbekistan: the count and every duration hidden.
    const uzFile = keyed((await csv(ACTORS.supervisor, '/v1/exports/statistics?programme=UZ')).rows.slice(1));
    const uz = (column: string) => uzFile.get(`waiting-placement UZ ${column}`);
    for (const column of ['reached', 'medianDays', 'p90Days', 'withinTarget']) expect(uz(column)).toEqual({ value: '', hidden: 'true', note: '' });
    expect([...file.keys()].filter((k) => k.startsWith('waiting-')).map((k) => k.split(' ')[0])).toEqual(
      INDICATORS.flatMap((i) => Array<string>(6).fill(`waiting-${i}`)),
    );
  });

  it('reads back from XLSX: values as numbers, hidden as yes/no cells, no number in a hidden cell', async () => {
    const { sheet, rows } = await xlsx(ACTORS.supervisor, '/v1/exports/statistics?format=xlsx&programme=KZ');
    expect(sheet.name).toBe('Statistics');
    const [, ...lines] = rows;
    expect(new Set(lines.map((l) => l[1]!.value))).toEqual(new Set(['KZ', 'total']));
    expect(lines.find((l) => l[0]!.value === 'waiting-placement' && l[2]!.value === 'reached')!.map((c) => c.value)).toEqual(['waiting-placement', 'KZ', 'reached', 8, false, null]);
    for (const line of lines) {
      expect(line[4]!.type).toBe(ExcelJS.ValueType.Boolean);
      if (line[4]!.value === true) expect(line[3]!.value).toBeNull();
      else if (line[5]!.value === null) expect(line[3]!.type).toBe(ExcelJS.ValueType.Number);
    }
  });

  it("counts the caller's organisation's pathways (oversight: all)", async () => {
    const people = async (actor: Actor) => keyed((await csv(actor, '/v1/exports/statistics?programme=KZ')).rows.slice(1)).get('waiting-placement KZ people')?.value;
    expect([await people(ACTORS.supervisor), await people(OVERSIGHT)]).toEqual(['14', '15']);
    expect((await csv(PRAVO.supervisor, '/v1/exports/statistics')).rows.slice(1).filter((l) => l[1] !== 'total')).toEqual([]);
  });
});

describe('both files', () => {
  it('are in the export log as reports (personal: false, no reason), and in no access log', async () => {
    const indicators = await csv(ACTORS.supervisor, '/v1/exports/indicators?programme=KZ&from=2020-01-01');
    const statistics = await csv(ACTORS.supervisor, '/v1/exports/statistics?programme=UZ&format=csv&separator=;');
    for (const { requestId } of [indicators, statistics]) {
      await until(() => stack.db.pool.query('select 1 from export_log where request_id = $1 and finished', [requestId]), (r) => r.rowCount === 1);
    }
    const log = (await get(ACTORS.supervisor, '/v1/exports?limit=200')).json().items;
    const entry = (requestId: string) => log.find((e: { requestId: string }) => e.requestId === requestId);
    expect(entry(indicators.requestId)).toMatchObject({ list: 'indicators', personal: false, reason: null, pathways: 0, finished: true, format: 'csv',
      filters: { programme: 'KZ', from: '2020-01-01' }, rows: indicators.rows.length - 1 });
    expect(entry(statistics.requestId)).toMatchObject({ list: 'statistics', personal: false, reason: null, pathways: 0, finished: true, filters: { programme: 'UZ' },
      rows: statistics.rows.length - 1 });
    const { rowCount } = await stack.db.pool.query('select 1 from access_log where request_id = any($1)', [[indicators.requestId, statistics.requestId]]);
    expect(rowCount).toBe(0);
  });

  it('are for supervisors, need no reason, and refuse bad filters as problems', async () => {
    for (const list of ['indicators', 'statistics']) {
      expectProblem(await get(ACTORS.staff, `/v1/exports/${list}`), 403, 'forbidden');
      expectProblem(await get(ACTORS.coordinator, `/v1/exports/${list}`), 403, 'forbidden');
      for (const query of ['?reason=audit', '?from=2021-02-02&to=2021-01-01', '?programme=kz', '?format=pdf', '?lang=fr']) {
        expectProblem(await get(ACTORS.supervisor, `/v1/exports/${list}${query}`), 400, 'validation-failed');
      }
    }
    expectProblem(await get(ACTORS.supervisor, '/v1/exports/statistics?sex=male'), 400, 'validation-failed');
    const comma = await get(ACTORS.supervisor, '/v1/exports/indicators?separator=,');
    expect(comma.headers['content-disposition']).toMatch(/^attachment; filename="indicators-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect((await parseCsv(comma.rawPayload.toString('utf8').slice(1), ',')).find((l) => l[0] === 'KZ')!.slice(0, 3)).toEqual(['KZ', 'placement', '14']);
  });
});
