import fc from 'fast-check';
import { ActionRequest, IdempotencyHeaders, ListQuery } from '../../src/api/schemas.js';
import { OpenCohort, OpenPathway } from '../../src/domain/open.js';
import { isoFromTyped } from '../../src/domain/typed-date.js';
import { arbitraryOf, featuresOf, hostileText, isoDate, jsonSchemaOf, type Hints, type JsonSchema, type Tagged } from './arbitraries.js';
import { authFor, build, cursor, cursorTag, encodeLoose, jsonBody, oddHeader, weighted, type FuzzRequest } from './request-parts.js';
import { agenciesRequests } from './requests-agencies.js';
import { webhookRequests } from './requests-webhooks.js';
import { fileRequests } from './requests-files.js';
import { inboxRequests, peopleRequests, preferenceRequests } from './requests-people.js';
import { exportRequests, reportRequests } from './requests-reports.js';

export { FUZZ_ACTORS, type Auth, type FuzzRequest } from './request-parts.js';

export interface FuzzContext {
  /** Pathways opened before the run, so reads and actions also reach real ones. */
  pathwayIds: string[];
  programmes: string[];
  /** Operations and phases the templates declare (when they do), so that opens can succeed. */
  operations: string[];
  phases: string[];
  arrivals: Arrival[];
  /** nextCursor values the API gave out. */
  cursors: string[];
  /** Actions the real pathways offered at the start, with payloads they accept. */
  examples: { type: string; payload: unknown }[];
  /** The codec's request body, from the OpenAPI document (its zod schema is not exported). */
  codecBody: { schema: JsonSchema; root: JsonSchema };
  /** A body the codec really decodes. */
  encodedWire: unknown;
  namespace: string;
}


/** Path ids: mostly real pathways, sometimes upper-cased, unknown or malformed. */
function pathwayId(ctx: FuzzContext): fc.Arbitrary<Tagged<string>> {
  const real = fc.constantFrom(...ctx.pathwayIds);
  const malformed = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', '..', '%2e%2e', '%ED%A0%BD', '%00', '%C0%80', '%', '%zz', 'ж', 'x'.repeat(5000), "1' or '1'='1", '__proto__', 'constructor'];
  return fc.oneof(
    weighted(8, real.map((value) => ({ tag: '', value }))),
    weighted(2, real.map((id) => ({ tag: 'id:upper-case', value: id.toUpperCase() }))),
    weighted(1, real.map((id) => ({ tag: 'id:braced', value: `%7B${id}%7D` }))),
    weighted(1, real.map((id) => ({ tag: 'id:no-dashes', value: id.replaceAll('-', '') }))),
    weighted(1, fc.uuid().map((value) => ({ tag: 'id:unknown-uuid', value }))),
    weighted(2, fc.constantFrom(...malformed).map((value) => ({ tag: `id:${value.slice(0, 12)}`, value }))),
  );
}

export interface Arrival {
  programme: string;
  operation: string;
  phase?: string;
  childrenOnly: boolean;
}

/** A person who fits the programme: the age rules decide arrivedWith, children-only programmes get a child. */
function fitPerson(person: unknown, arrivalDate: unknown, childrenOnly: boolean): unknown {
  if (!person || typeof person !== 'object' || typeof arrivalDate !== 'string') return person;
  const fitted = { ...(person as Record<string, unknown>) };
  // Compared in ISO form: dates may come as typed (DD.MM.YYYY).
  const arrival = isoFromTyped(arrivalDate);
  const birth = () => (typeof fitted.birthDate === 'string' ? isoFromTyped(fitted.birthDate) : undefined);
  const adultBefore = `${Number(arrival.slice(0, 4)) - 18}${arrival.slice(4)}`;
  if (childrenOnly && birth() !== undefined && birth()! <= adultBefore) fitted.birthDate = `${Number(arrival.slice(0, 4)) - 9}-06-15`;
  const child = birth() !== undefined && birth()! > adultBefore;
  if (!child) fitted.arrivedWith = 'adult';
  else if (!['mother', 'siblings', 'unaccompanied', 'orphan'].includes(fitted.arrivedWith as string)) fitted.arrivedWith = 'mother';
  return fitted;
}

/**
 * Three opens in four name an arrival a template declares and people who fit it, so they get past
 * the rules between fields to the database and Temporal; the fourth is left as generated.
 */
function coherent(ctx: FuzzContext, valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.constantFrom(...ctx.arrivals), fc.nat(3), fc.boolean()).map(([value, arrival, dice, keepOperation]) => {
    if (dice === 0 || !value || typeof value !== 'object') return value;
    const { phase: _phase, ...rest } = value as Record<string, unknown>;
    // Half keep the generated operation: where operations are free text, that is where hostile text gets through.
    const operation = keepOperation ? rest.operation : arrival.operation;
    const body: Record<string, unknown> = { ...rest, programme: arrival.programme, operation, ...(arrival.phase ? { phase: arrival.phase } : {}) };
    if (Array.isArray(body.people)) {
      body.people = body.people.map((entry: Record<string, unknown>) => ({ ...entry, person: fitPerson(entry.person, body.arrivalDate, arrival.childrenOnly) }));
    } else body.person = fitPerson(body.person, body.arrivalDate, arrival.childrenOnly);
    return body;
  });
}

/** Dates also as Russian-speaking users type them, DD.MM.YYYY (and MM.YYYY for a birth month), edge dates included. */
function typedDate(iso: fc.Arbitrary<string>, months: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    weighted(months ? 3 : 4, iso),
    weighted(1, iso.map((date) => date.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3.$2.$1'))),
    ...(months ? [weighted(1, iso.map((date) => date.replace(/^(\d{4})-(\d{2})-\d{2}$/, '$2.$1')))] : []),
  );
}

/** Half the actions are ones a real pathway offered, so some are accepted and their notes stored. */
function actionBody(ctx: FuzzContext, hints: Hints): fc.Arbitrary<unknown> {
  const own = arbitraryOf(jsonSchemaOf(ActionRequest), hints);
  if (!ctx.examples.length) return own;
  return fc.tuple(own, fc.constantFrom(...ctx.examples), fc.boolean()).map(([action, offered, use]) =>
    use && action && typeof action === 'object' ? { ...action, type: offered.type, payload: offered.payload } : action,
  );
}

/** `{ items }` of a bulk request: a few actions, each on a pathway with a fresh or repeated actionId. */
function bulkBody(id: fc.Arbitrary<Tagged<string>>, action: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const actionId = fc.oneof(fc.uuid(), fc.constantFrom('11111111-1111-4111-8111-111111111111', 'not-a-uuid'));
  const item = fc.tuple(id, actionId, action).map(([pid, aid, body]) => (body && typeof body === 'object' ? { ...body, pathwayId: pid.value, actionId: aid } : body));
  return fc.array(item, { maxLength: 4 }).map((items) => ({ items }));
}

/** Idempotency keys: valid ones from the schema, a few reused ones, odd ones. */
const idempotencyHeaders = fc.oneof(
  weighted(4, arbitraryOf(jsonSchemaOf(IdempotencyHeaders)).map((value) => ({ tag: '', value: value as Record<string, string> }))),
  weighted(2, fc.constantFrom('k1', 'k2', 'k3').map((key) => ({ tag: '', value: { 'idempotency-key': key } }))),
  weighted(1, oddHeader('idempotency-key').map(({ tag, value }) => ({ tag, value: { 'idempotency-key': value } }))),
);
const requestIdHeader = fc.option(
  fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/).map((value) => ({ tag: '', value })), oddHeader('x-request-id')),
  { freq: 3, nil: undefined },
);

/** Query strings from ListQuery, with hostile values, repeated or malformed parameters added. */
function listQuery(hints: Hints): fc.Arbitrary<{ query: string; tags: string[] }> {
  const RAW = ['operation=', 'operation', 'limit=1e3', 'limit=-1', 'limit=0x10', 'limit=99999999999999999999', 'limit=%20', 'stage=intake&stage=medical',
    '__proto__=x', 'constructor[prototype]=x', 'a[b][c]=1', '%', '%zz', '%00', '%ED%A0%BD', 'operation=%00', 'operation=%ED%A0%BD', '&&&', '=', `${'x'.repeat(50_000)}=1`, 'overdue=TRUE',
    'phase=0', 'phase=1%00', 'arrivalDate=2026-02-30', 'arrivalDate=1899-12-31', 'arrivalDate=%ED%A0%BD', 'familyGroup=a%2Fb', 'familyGroup=' + 'f'.repeat(65)];
  const schema = jsonSchemaOf(ListQuery);
  const keys = Object.keys(schema.properties as object);
  return fc.tuple(
    arbitraryOf(schema, hints) as fc.Arbitrary<Record<string, unknown>>,
    fc.oneof(
      weighted(4, fc.constant(undefined)),
      weighted(2, fc.tuple(fc.constantFrom(...keys), fc.oneof(hostileText(0, 120), fc.constant('x'.repeat(10_000))))),
      weighted(2, fc.constantFrom(...RAW)),
    ),
  ).map(([values, mutation]) => {
    const params = { ...values } as Record<string, unknown>;
    const tags = [...featuresOf(params, ['query'])];
    if (Array.isArray(mutation)) {
      params[mutation[0]] = mutation[1];
      tags.push(...[...featuresOf(mutation[1], ['query', mutation[0]])], `query.${mutation[0]}=hostile`);
    }
    if (typeof params.cursor === 'string') tags.push(cursorTag(params.cursor));
    const parts = Object.entries(params).map(([k, v]) => `${k}=${encodeLoose(String(v))}`);
    if (typeof mutation === 'string') {
      // A raw parameter replaces the generated one of the same name (twice would be an array: a plain 400).
      const name = /^\w+/.exec(mutation)?.[0];
      const kept = Object.entries(params).filter(([k]) => k !== name);
      parts.splice(0, parts.length, ...kept.map(([k, v]) => `${k}=${encodeLoose(String(v))}`), mutation);
      tags.push(`query+${mutation.slice(0, 30)}`);
    }
    return { query: parts.length ? `?${parts.join('&')}` : '', tags };
  });
}

/** Requests spread over every route and method, weighted towards the routes that take input. */
export function requestArbitrary(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const hints: Hints = {
    programme: (own) => fc.oneof(weighted(5, fc.constantFrom(...ctx.programmes)), weighted(1, own)),
    operation: (own) => fc.oneof(fc.constantFrom(...ctx.operations), own),
    phase: (own) => (ctx.phases.length ? fc.oneof(weighted(3, fc.constantFrom(...ctx.phases)), weighted(1, own)) : own),
    arrivalDate: typedDate(isoDate(2015, 2025), false),
    birthDate: typedDate(isoDate(1950, 2014), true),
    cursor: ctx.cursors.length ? fc.oneof(fc.constantFrom(...ctx.cursors), cursor) : cursor,
  };
  const id = pathwayId(ctx);
  const all = ['coordinator', 'staff', 'supervisor'];
  const open = (route: string, schema: JsonSchema) =>
    fc.tuple(authFor(['coordinator']), idempotencyHeaders, requestIdHeader, jsonBody(coherent(ctx, arbitraryOf(schema, hints)))).map(([auth, key, rid, body]) =>
      build(route, 'POST', route.replace(/^POST /, ''), auth, { headers: { ...key.value, ...(rid ? { 'x-request-id': rid.value } : {}) }, body, tags: [key.tag, rid?.tag ?? ''] }),
    );
  const read = (suffix: string, roles: string[]) =>
    fc.tuple(authFor(roles), id, requestIdHeader).map(([auth, pid, rid]) =>
      build(`GET /v1/pathways/{id}${suffix}`, 'GET', `/v1/pathways/${pid.value}${suffix}`, auth, { headers: rid ? { 'x-request-id': rid.value } : {}, tags: [pid.tag, rid?.tag ?? ''] }),
    );
  const codec = (direction: 'encode' | 'decode') => {
    const valid = fc.oneof(arbitraryOf(ctx.codecBody.schema, {}, ctx.codecBody.root), fc.constant(ctx.encodedWire));
    const namespace = fc.option(fc.oneof(fc.constant({ tag: '', value: ctx.namespace }), oddHeader('x-namespace'), fc.constant({ tag: 'x-namespace:other', value: 'other' })), { nil: undefined });
    return fc.tuple(authFor(['supervisor']), namespace, jsonBody(valid)).map(([auth, ns, body]) =>
      build(`POST /codec/${direction}`, 'POST', `/codec/${direction}`, auth, { headers: ns ? { 'x-namespace': ns.value } : {}, body, tags: [ns?.tag ?? ''] }),
    );
  };
  const noAuth = { tag: '', value: { header: undefined } };
  const MISC_PATHS = ['/v1/pathways/', '/v1//pathways', '/V1/PATHWAYS', '/v1/pathways/%2e%2e/reports', '/v1/pathways/x/actions/extra', '/docs', '/docs/json', '/openapi.json', '/codec/x', '/', '/assets/console-x.js', '/assets/%00', '/locales/en.json', '/locales/xx.json', '/locales/..%2fpackage.json', '/%00', '/%ED%A0%BD', '/healthz/', `/${'x'.repeat(5000)}`];
  return fc.oneof(
    weighted(6, open('POST /v1/pathways', jsonSchemaOf(OpenPathway))),
    weighted(3, open('POST /v1/cohorts', jsonSchemaOf(OpenCohort))),
    weighted(8, fc.tuple(authFor(all), id, requestIdHeader, jsonBody(actionBody(ctx, hints))).map(([auth, pid, rid, body]) =>
      build('POST /v1/pathways/{id}/actions', 'POST', `/v1/pathways/${pid.value}/actions`, auth, { headers: rid ? { 'x-request-id': rid.value } : {}, body, tags: [pid.tag, rid?.tag ?? ''] }),
    )),
    // A bulk request: items on real, unknown and malformed ids, each an action as the single route takes it.
    weighted(4, fc.tuple(authFor(all), jsonBody(bulkBody(id, actionBody(ctx, hints)))).map(([auth, body]) => build('POST /v1/bulk-actions', 'POST', '/v1/bulk-actions', auth, { body }))),
    weighted(5, fc.tuple(authFor(['coordinator', 'supervisor']), listQuery(hints)).map(([auth, q]) => build('GET /v1/pathways', 'GET', `/v1/pathways${q.query}`, auth, { tags: q.tags }))),
    weighted(3, read('', all)),
    weighted(2, read('/history', ['supervisor'])),
    weighted(2, read('/access-log', ['supervisor'])),
    weighted(2, read('/family', all)),
    // The case summary as a PDF and a print's record: read like the pathway, with a language and a kind.
    weighted(1, fc.tuple(authFor(all), id, fc.constantFrom('', '?lang=ru', '?lang=en', '?lang=xx', '?lang=%00', '?x=1')).map(([auth, pid, q]) =>
      build('GET /v1/pathways/{id}/summary.pdf', 'GET', `/v1/pathways/${pid.value}/summary.pdf${q}`, auth, { tags: [pid.tag, q ? `query${q}` : ''] }),
    )),
    weighted(1, fc.tuple(authFor(all), id, jsonBody(fc.oneof(fc.constant({ kind: 'summary' }), fc.record({ kind: fc.constantFrom('referral-letter', 'summary', 'x'), referralId: fc.oneof(fc.uuid(), fc.string()) }), fc.jsonValue()))).map(([auth, pid, body]) =>
      build('POST /v1/pathways/{id}/prints', 'POST', `/v1/pathways/${pid.value}/prints`, auth, { body, tags: [pid.tag] }),
    )),
    weighted(1, authFor(['supervisor']).map((auth) => build('GET /v1/reports/caseload', 'GET', '/v1/reports/caseload', auth, {}))),
    weighted(1, fc.tuple(authFor(['supervisor']), fc.constantFrom('', '?x=1', '?x=%00', '?programme=%ED%A0%BD')).map(([auth, q]) =>
      build('GET /v1/reports/stage-durations', 'GET', `/v1/reports/stage-durations${q}`, auth, { tags: q ? [`query${q}`] : [] }),
    )),
    weighted(2, fc.tuple(authFor(all), fc.constantFrom('', '?kind=approvals', '?kind=other', '?programme=KZ', '?limit=0', '?limit=100&cursor=%00', '?cursor=eyJ4IjoxfQ', '?programme=%ED%A0%BD', '?x=1')).map(([auth, q]) =>
      build('GET /v1/worklist', 'GET', `/v1/worklist${q}`, auth, { tags: q ? [`query${q}`] : [] }),
    )),
    ...agenciesRequests(id, hints),
    ...webhookRequests(id, hints),
    ...fileRequests(),
    ...peopleRequests(id),
    ...inboxRequests(id),
    ...reportRequests(),
    ...exportRequests(),
    ...preferenceRequests(),
    weighted(1, fc.constantFrom('/console/config.json', '/console/action-schemas.json').map((url) => build(`GET ${url}`, 'GET', url, noAuth, {}))),
    weighted(1, jsonBody(fc.oneof(fc.constant({ id: 'staff.mlsp' }), fc.record({ id: fc.string() }), fc.jsonValue())).map((body) =>
      build('POST /console/dev-token', 'POST', '/console/dev-token', noAuth, { body }),
    )),
    weighted(1, codec('encode')),
    weighted(2, codec('decode')),
    weighted(1, fc.constantFrom('/healthz', '/readyz', '/healthz?%00=%ED%A0%BD').map((url) => build(`GET ${url.replace(/\?.*/, '')}`, 'GET', url, noAuth, {}))),
    weighted(1, fc.tuple(fc.constantFrom('https://evil.example', 'null', ''), fc.constantFrom('/codec/encode', '/codec/decode')).map(([origin, url]) =>
      build('OPTIONS /codec/*', 'OPTIONS', url, noAuth, { headers: origin ? { origin } : {}, tags: [`origin:${origin}`] }),
    )),
    weighted(2, fc.tuple(fc.constantFrom<FuzzRequest['method']>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'), fc.oneof(fc.constantFrom(...MISC_PATHS), id.map((p) => `/v1/pathways/${p.value}`)), authFor(all)).map(
      ([method, url, auth]) => build('misc', method, url, auth, { tags: [`misc:${method} ${url.slice(0, 40)}`] }),
    )),
  );
}
