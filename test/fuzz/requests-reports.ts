import fc from 'fast-check';
import { authFor, build, jsonBody, weighted } from './request-parts.js';

const INDICATOR_QUERIES = ['', '?from=2021-01-01&to=2026-12-31', '?from=2026-12-31&to=2021-01-01', '?programme=KZ&sex=female&ageBand=6-11', '?cohort=1&operation=Zhusan',
  '?from=x', '?sex=other', '?ageBand=%00', '?programme=%ED%A0%BD', '?x=1', '?programme=KZ&programme=UZ'];
const STATISTICS_QUERIES = ['', '?programme=KZ', '?programme=UZ&from=2021-01-01', '?programme=kz', '?to=2021-02-30x', '?from=2022-01-01&to=2021-01-01', '?sex=male', '?programme=%00'];
const PROGRAMMES = ['KZ', 'UZ', 'KG', 'TJ', 'XX', 'kz', '%00', 'K'.repeat(20), '%ED%A0%BD'];

const FILE_QUERIES = ['', '?reason=audit', '?reason=court-request&format=xlsx', '?reason=other&note=%D0%BF%D1%80%D0%B8&separator=,', '?reason=bogus', '?format=pdf',
  '?reason=audit&separator=%09', '?reason=audit&lang=fr', '?reason=audit&programme=XX&overdue=maybe', '?reason=audit&note=' + 'x'.repeat(400), '?by=worker', '?by=x', '?reason=%00'];
/** The lists, each with the file's queries; the indicators and statistics with their routes' filters too, with file options. */
const FILES: Record<string, string[]> = {
  pathways: FILE_QUERIES,
  worklist: FILE_QUERIES,
  caseload: FILE_QUERIES,
  'stage-durations': FILE_QUERIES,
  indicators: [...FILE_QUERIES, ...INDICATOR_QUERIES, '?programme=KZ&format=xlsx&lang=ru', '?sex=female&separator=,'],
  statistics: [...FILE_QUERIES, ...STATISTICS_QUERIES, '?programme=KZ&format=xlsx&lang=ru', '?from=2021-01-01&separator=,'],
};
const LOG_QUERIES = ['', '?limit=5', '?limit=0', '?limit=x', '?before=2026-01-01T00:00:00Z', '?before=x', '?x=1'];

/** Files: each list with reasons, formats and filters that hold and that do not; the export log. */
export function exportRequests() {
  return [
    // One entry per list, so each is reached in every run.
    ...Object.entries(FILES).map(([list, queries]) => weighted(2, fc.tuple(authFor(['coordinator', 'staff', 'supervisor']), fc.constantFrom(...queries)).map(([auth, q]) =>
      build(`GET /v1/exports/${list}`, 'GET', `/v1/exports/${list}${q}`, auth, { tags: q ? [`query${q.slice(0, 20)}`] : [] }),
    ))),
    weighted(1, fc.tuple(authFor(['supervisor', 'staff']), fc.constantFrom(...LOG_QUERIES)).map(([auth, q]) =>
      build('GET /v1/exports', 'GET', `/v1/exports${q}`, auth, { tags: q ? [`query${q.slice(0, 20)}`] : [] }),
    )),
  ];
}

/** Indicators and statistics: filters that hold and filters that do not, the public switch and the public page. */
export function reportRequests() {
  const noAuth = { tag: '', value: { header: undefined } };
  return [
    weighted(1, fc.tuple(authFor(['supervisor']), fc.constantFrom(...INDICATOR_QUERIES)).map(([auth, q]) =>
      build('GET /v1/reports/indicators', 'GET', `/v1/reports/indicators${q}`, auth, { tags: q ? [`query${q.slice(0, 20)}`] : [] }),
    )),
    weighted(1, fc.tuple(authFor(['supervisor']), fc.constantFrom(...STATISTICS_QUERIES)).map(([auth, q]) =>
      build('GET /v1/statistics', 'GET', `/v1/statistics${q}`, auth, { tags: q ? [`query${q.slice(0, 20)}`] : [] }),
    )),
    weighted(1, fc.tuple(authFor(['supervisor']), fc.constantFrom(...PROGRAMMES), jsonBody(fc.oneof(fc.record({ public: fc.boolean() }), fc.constant({ public: 'yes' }), fc.jsonValue()))).map(
      ([auth, programme, body]) => build('PUT /v1/statistics/public/{programme}', 'PUT', `/v1/statistics/public/${programme}`, auth, { body, tags: [`programme:${programme.slice(0, 8)}`] }),
    )),
    weighted(1, fc.constantFrom(...PROGRAMMES).map((programme) =>
      build('GET /public/statistics/{programme}', 'GET', `/public/statistics/${programme}`, noAuth, { tags: [`programme:${programme.slice(0, 8)}`] }),
    )),
  ];
}
