import fc from 'fast-check';
import { z } from 'zod';

/**
 * fast-check arbitraries built from the API's own zod schemas (through their JSON Schema), so the
 * fuzz follows the schemas as they change; then seasoned and mutated with hostile values.
 */
export type JsonSchema = { [keyword: string]: unknown };

/** The JSON Schema of what the route parses (the input side: defaults are optional). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** For properties of these names, an arbitrary used instead of (or built on) the schema's own: known programmes, real ids… */
export type Hints = Record<string, fc.Arbitrary<unknown> | ((own: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>)>;

const DATE_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}$`;

/** Dates the regex lets through but a database or a calendar may not. */
export const EDGE_DATES = ['0000-01-01', '0001-01-01', '9999-12-31', '2021-02-30', '2021-02-29', '2020-02-29', '1900-01-01', '2021-13-01', '2021-00-00', '1582-10-10'];

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Mostly real dates between the years given, sometimes an edge date. */
export const isoDate = (from = 1950, to = 2025) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: Date.UTC(from, 0, 1), max: Date.UTC(to, 11, 31) }).map(day) },
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_DATES) },
  );

/** Snippets that are valid text to a schema and dangerous further down (PostgreSQL, JSON, logs, Temporal), by kind. */
const POISON = [
  ['\ud83d', '\ude00', '\ude00\ud83d'], // lone surrogates: PostgreSQL's JSON refuses them
  ['\u0000'], // PostgreSQL's text refuses NUL
  ['\u0001', '\u001b[2J', '\u007f', '\u0085', '\r\n', '\t'],
  ['\u202e', '\u200b', '\ufeff'],
  ['\ud835\udd4f', 'Z\u0337\u0322\u0348', '\ufdfa', 'e\u0301'],
  ["' or 1=1 --", '${jndi:x}', '%s%n', '<script>', '\\', '"'],
  ['__proto__', 'constructor'],
];
const poison = fc.constantFrom(...POISON).chain((kind) => fc.constantFrom(...kind));
const PLAIN = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcXYZ019 -_.Ааяжё'.split('')) });

/** Text within the length bounds that carries one poison snippet. */
export function hostileText(minLength = 0, maxLength = 200): fc.Arbitrary<string> {
  return fc.tuple(fc.string({ maxLength: 4 }), poison, fc.string({ maxLength: 4 })).map(([before, poison, after]) => {
    const text = `${before}${poison}${after}`.slice(0, maxLength);
    return text.length >= minLength ? text : text.padEnd(minLength, 'a');
  });
}

/** Text a person could type: letters of a few scripts; sometimes poisoned. */
function freeText(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const cap = Math.max(minLength, Math.min(maxLength, 40));
  const plain = fc.string({ minLength, maxLength: cap, unit: fc.constantFrom(...'abcdefghXYZ0189 -\'Ааяжё'.split('')) });
  return fc.oneof({ weight: 2, arbitrary: plain }, { weight: 1, arbitrary: hostileText(minLength, maxLength) });
}

function resolve(ref: string, root: JsonSchema): JsonSchema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as JsonSchema)[key.replaceAll('~1', '/').replaceAll('~0', '~')], root) as JsonSchema;
}

/** A value the schema should accept, built keyword by keyword. */
export function arbitraryOf(schema: JsonSchema, hints: Hints = {}, root: JsonSchema = schema): fc.Arbitrary<unknown> {
  const of = (s: unknown) => arbitraryOf(s as JsonSchema, hints, root);
  if (typeof schema.$ref === 'string') return of(resolve(schema.$ref, root));
  const union = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (union) return fc.oneof(...union.map(of));
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => of({ ...schema, type })));
  switch (schema.type) {
    case 'string': {
      if (schema.contentEncoding === 'base64') return fc.base64String({ maxLength: 64 });
      if (schema.pattern === DATE_PATTERN || schema.format === 'date') return isoDate();
      if (schema.format === 'uuid') return fc.uuid();
      if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
      return freeText((schema.minLength as number) ?? 0, (schema.maxLength as number) ?? 200);
    }
    case 'integer':
    case 'number': {
      const min = (schema.minimum as number) ?? -1e6;
      const max = (schema.maximum as number) ?? 1e6;
      return schema.type === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = (schema.minItems as number) ?? 0;
      const maxLength = Math.min((schema.maxItems as number) ?? 4, minLength + 3);
      return fc.array(schema.items ? of(schema.items) : fc.jsonValue({ maxDepth: 1 }), { minLength, maxLength });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      const hinted = (name: string, s: unknown) => {
        const hint = hints[name];
        return typeof hint === 'function' ? hint(of(s)) : (hint ?? of(s));
      };
      const model = Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, hinted(name, s)]));
      const record = fc.record(model, { requiredKeys: ((schema.required as string[]) ?? []).filter((k) => k in model) });
      const extra = schema.additionalProperties;
      if (Object.keys(properties).length === 0 && extra && typeof extra === 'object' && Object.keys(extra).length > 0) {
        return fc.dictionary(PLAIN, of(extra), { maxKeys: 3 });
      }
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A JSON literal sent as written (numbers JavaScript cannot hold). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold RawJson literals and own `__proto__` keys. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `\u0002raw${raws.push(v.text) - 1}\u0002` : v));
  return (text ?? 'null').replace(/"\\u0002raw(\d+)\\u0002"/g, (_m, i: string) => raws[Number(i)]!);
}

// Deep values travel as text: building and printing them as objects would overflow our own stack first.
const nestedArray = (depth: number) => new RawJson(`${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`);
const nestedObject = (depth: number) => new RawJson(`${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`);

export interface Tagged<T> {
  tag: string;
  value: T;
}
const tag = <T>(name: string, value: T): fc.Arbitrary<Tagged<T>> => fc.constant({ tag: name, value });

/** Values of any type that no schema field should take without a 4xx. */
export const hostileValue: fc.Arbitrary<Tagged<unknown>> = fc.oneof(
  hostileText(0, 200).map((value) => ({ tag: 'text', value })),
  tag('long-100k', 'x'.repeat(100_000)),
  tag('long-100k-multibyte', 'ж'.repeat(100_000)),
  tag('long-surrogates', '\ud83d'.repeat(50_000)),
  tag('empty-string', ''),
  fc.constantFrom(...EDGE_DATES).map((value) => ({ tag: `date:${value}`, value })),
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, [], {}, ['a'], { a: 1 }).map((value) => ({ tag: `wrong-type:${JSON.stringify(value)}`, value })),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 5e-324).map((value) => ({ tag: `number:${value}`, value })),
  fc.constantFrom('1e400', '-1e400', '-0', '123456789012345678901234567890').map((text) => ({ tag: `raw-number:${text}`, value: new RawJson(text) })),
  fc.integer({ min: 1000, max: 5000 }).map((depth) => ({ tag: 'deep-array', value: nestedArray(depth) })),
  fc.integer({ min: 1000, max: 3000 }).map((depth) => ({ tag: 'deep-object', value: nestedObject(depth) })),
  tag('big-array', Array.from({ length: 10_000 }, () => 'a')),
  tag('proto-object', JSON.parse('{"__proto__":{"polluted":true}}') as unknown),
  tag('constructor-prototype', JSON.parse('{"constructor":{"prototype":{"polluted":true}}}') as unknown),
);

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra', '', '\u0000', '\ud83d', 'x'.repeat(1000)];

type Path = (string | number)[];
const isContainer = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !(v instanceof RawJson);

/** Every node's path (root first), not walking deeper than a generated request goes. */
export function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (isContainer(value) && path.length < 8) for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

export const label = (path: Path) => path.map((k) => (typeof k === 'number' ? '[]' : `.${k}`)).join('').replace(/^\./, '') || '(root)';

/** A copy with `change` applied to the parent of `path` (JSON round trip: keeps own `__proto__` keys). */
function edit(value: unknown, path: Path, change: (parent: Record<string, unknown>, key: string | number) => void): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], copy) as Record<string, unknown>;
  change(parent, path.at(-1)!);
  return copy;
}
const define = (target: Record<string, unknown>, key: string | number, v: unknown) =>
  Object.defineProperty(target, key, { value: v, enumerable: true, writable: true, configurable: true });

/** The value as generated, or with one node replaced, one key added or one key removed. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<Tagged<unknown>> {
  return valid.chain((value) => {
    const paths = pathsOf(value);
    const objects = paths.filter((p) => (p.length === 0 ? value : p.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], value)) instanceof Object);
    const keys = paths.filter((p) => p.length > 0);
    const replaced = fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, h]) => ({
      tag: `${label(path)}=${h.tag}`,
      value: path.length === 0 ? h.value : edit(value, path, (parent, key) => define(parent, key, h.value)),
    }));
    const added = fc.tuple(fc.constantFrom(...(objects.length ? objects : [[]])), fc.constantFrom(...EXTRA_KEYS), fc.oneof(fc.constant<unknown>(1), hostileValue.map((h) => h.value))).map(([path, key, v]) => ({
      tag: `${label(path)}+key:${JSON.stringify(key).slice(0, 20)}`,
      value: path.length === 0 && !isContainer(value) ? value : edit(value, [...path, key], (parent, k) => define(parent, k, v)),
    }));
    const arms: fc.WeightedArbitrary<Tagged<unknown>>[] = [
      { weight: 4, arbitrary: fc.constant({ tag: '', value }) },
      { weight: 3, arbitrary: replaced },
      { weight: 1, arbitrary: added },
    ];
    if (keys.length) {
      const removed = fc.constantFrom(...keys).map((path) => ({ tag: `-${label(path)}`, value: edit(value, path, (parent, key) => void delete parent[key]) }));
      arms.push({ weight: 1, arbitrary: removed });
    }
    return fc.oneof(...arms);
  });
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is hostile in a string, as the failure report names it. */
function stringFeatures(s: string): string[] {
  const found: string[] = [];
  if (LONE_SURROGATE.test(s)) found.push('lone-surrogate');
  if (s.includes('\u0000')) found.push('NUL');
  if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(s)) found.push('control-char');
  if (s.length >= 10_000) found.push('long');
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (date && (EDGE_DATES.includes(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)))) found.push(`date:${s}`);
  return found;
}

/** The hostile strings in a value, each with where it sits: the "shape" failures are grouped by. */
export function featuresOf(value: unknown, path: Path = [], out = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const f of stringFeatures(value)) out.add(`${label(path)}:${f}`);
  else if (isContainer(value) && path.length < 12) {
    for (const [k, v] of Object.entries(value)) featuresOf(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}
