import fc from 'fast-check';
import type { Actor } from '../../src/domain/model.js';
import { ACTORS } from '../helpers/pathways.js';
import { featuresOf, hostileText, mutated, toJsonText, type Tagged } from './arbitraries.js';

/*
 * What a generated request is made of, for every route's entry in the request table: who sends it,
 * its body, a cursor, and the request itself.
 */

/** Who sends a request: a named actor's token, a token with odd claims, or a raw Authorization header (or none). */
export type Auth = { actor: keyof typeof FUZZ_ACTORS } | { claims: Actor } | { header: string | undefined };

export interface FuzzRequest {
  /** The route as the OpenAPI document names it, e.g. `GET /v1/pathways/{id}`; `misc` for odd paths. */
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD';
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  auth: Auth;
  /** What is hostile in it, to group failures by. */
  tags: string[];
}

/** Two organisations, every role, and an oversight supervisor. */
export const FUZZ_ACTORS = {
  coordinator: ACTORS.coordinator,
  staff: ACTORS.staff,
  supervisor: ACTORS.supervisor,
  coordinatorB: { id: 'coordinator-bea', role: 'coordinator', org: 'clinic' },
  staffB: { id: 'staff-ben', role: 'staff', org: 'clinic' },
  supervisorB: { id: 'supervisor-bo', role: 'supervisor', org: 'clinic' },
  oversight: { id: 'ombudsman', role: 'supervisor', org: 'oversight' },
} satisfies Record<string, Actor>;
type ActorName = keyof typeof FUZZ_ACTORS;

export const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** Header values that can reach a server (latin-1, no CR/LF/NUL) but no route expects. */
const ODD_HEADER_VALUES = ['', ' ', '\t', 'a'.repeat(101), 'a'.repeat(8000), 'Ã©Ã¨ÿþ', 'a b', '../../x', '<script>', 'null', '__proto__', 'k1,k2'];
export const oddHeader = (name: string) => fc.constantFrom(...ODD_HEADER_VALUES).map((value) => ({ tag: `header:${name}=${JSON.stringify(value).slice(0, 12)}`, value }));

export function authFor(roles: readonly string[]): fc.Arbitrary<Tagged<Auth>> {
  const names = Object.keys(FUZZ_ACTORS) as ActorName[];
  const allowed = names.filter((n) => roles.includes(FUZZ_ACTORS[n].role));
  const raw = ['', 'Bearer', 'Bearer not.a.jwt', 'Basic YTpi', 'Bearer x'.padEnd(10_000, 'x'),
    `Bearer ${b64url('{"alg":"none"}')}.${b64url('{"sub":"x","role":"supervisor","org":"mlsp"}')}.`];
  const claims = fc.record({
    id: fc.oneof(hostileText(1, 200), fc.constant('x'.repeat(200))),
    role: fc.constantFrom(...(roles.length ? roles : ['supervisor'])),
    org: fc.constantFrom('mlsp', 'constructor', 'toString', 'a'.repeat(100)),
  }) as fc.Arbitrary<Actor>;
  return fc.oneof(
    weighted(14, fc.constantFrom(...(allowed.length ? allowed : names)).map((actor) => ({ tag: '', value: { actor } }))),
    weighted(3, fc.constantFrom(...names).map((actor) => ({ tag: `actor:${actor}`, value: { actor } }))),
    weighted(1, fc.option(fc.constantFrom(...raw), { nil: undefined }).map((header) => ({ tag: `auth:${header === undefined ? 'none' : header.slice(0, 16)}`, value: { header } }))),
    weighted(1, claims.map((c) => ({ tag: `token-claims:org=${c.org.slice(0, 12)}`, value: { claims: c } }))),
  );
}

const RAW_BODIES: [string, () => string | Buffer][] = [
  ['empty', () => ''], ['null', () => 'null'], ['array', () => '[]'], ['string', () => '"x"'], ['truncated', () => '{"a":1'],
  ['number-1e400', () => '1e400'], ['bom', () => '\ufeff{}'], ['duplicate-keys', () => '{"type":"x","type":"y"}'],
  ['proto', () => '{"__proto__":{"admin":true}}'], ['constructor-prototype', () => '{"constructor":{"prototype":{"admin":true}}}'],
  ['deep-array-100k', () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`], ['deep-object-20k', () => `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`],
  ['invalid-utf8', () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0xbd, 0x22, 0x7d])], ['2mb', () => `"${'x'.repeat(2 * 1024 * 1024)}"`],
];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/problem+json', 'application/json; charset=utf-16', ''];

export interface Body {
  body: string | Buffer;
  contentType: string;
  tags: string[];
}
/** A JSON body from the schema, mutated; sometimes a raw body or an odd content type instead. */
export function jsonBody(valid: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  const fromSchema = mutated(valid).map(({ tag, value }) => ({ body: toJsonText(value), contentType: 'application/json', tags: [tag, ...featuresOf(value, ['body'])] }));
  return fc.oneof(
    weighted(16, fromSchema),
    weighted(1, fc.constantFrom(...RAW_BODIES).map(([name, make]) => ({ body: make(), contentType: 'application/json', tags: [`raw-body:${name}`] }))),
    weighted(1, fc.tuple(fromSchema, fc.constantFrom(...CONTENT_TYPES)).map(([b, contentType]) => ({ ...b, contentType, tags: [...b.tags, `content-type:${contentType}`] }))),
  );
}

const withContentType = (headers: Record<string, string>, contentType: string) => (contentType ? { ...headers, 'content-type': contentType } : headers);

/** A cursor as a client might forge one: the API's own format with odd parts, or not a cursor at all. */
const CURSOR_DATES = ['2021-03-16 10:00:00.123456+00', 'not-a-date', '', '0000-01-01 00:00:00+00', 'infinity', '2021-02-30 00:00:00+00', '\u0000', '294277-01-01 00:00:00+00', '99999-01-01'];
export const cursor = fc.oneof(
  fc.tuple(fc.constantFrom(...CURSOR_DATES), fc.uuid()).map(([at, id]) => b64url(JSON.stringify([at, id]))),
  fc.constantFrom('not base64!', b64url('[]'), b64url('{}'), b64url('null'), b64url('["2021-03-16","not-a-uuid"]'), b64url('["a","b","c"]'), 'x'.repeat(200), 'x'.repeat(201)),
);
export function cursorTag(value: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(parsed) && parsed.length === 2 ? `cursor:date-part=${JSON.stringify(parsed[0])}` : 'cursor:other-json';
  } catch {
    return 'cursor:not-json';
  }
}

export const build = (route: string, method: FuzzRequest['method'], url: string, auth: Tagged<Auth>, parts: { headers?: Record<string, string>; body?: Body; tags?: string[] }): FuzzRequest => ({
  route,
  method,
  url,
  headers: parts.body ? withContentType(parts.headers ?? {}, parts.body.contentType) : (parts.headers ?? {}),
  body: parts.body?.body,
  auth: auth.value,
  tags: [auth.tag, ...(parts.body?.tags ?? []), ...(parts.tags ?? [])].filter(Boolean),
});

/** A string for a URL: lone surrogates become the (invalid UTF-8) bytes a hostile client would send. */
export function encodeLoose(text: string): string {
  return Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 63)).toString(16)}%${(0x80 | (code & 63)).toString(16)}`.toUpperCase();
    return encodeURIComponent(ch);
  }).join('');
}
