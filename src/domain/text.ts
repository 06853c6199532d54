/**
 * The one rule for every string the service accepts and stores: well-formed Unicode (no lone
 * surrogates, which PostgreSQL's JSON refuses), no control characters (NUL is refused by
 * PostgreSQL's text types), bounded length and nesting. Plain functions without zod, so the
 * workflow's Update validator can run them cheaply on what it is about to persist.
 */

/** Control characters; tab, line feed and carriage return are allowed in multi-line text only. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/;
/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Deeper than anything the API's schemas describe: refused before it reaches them. */
export const MAX_DEPTH = 16;
/** No single string of a request is longer (notes have their own, smaller limit). */
export const MAX_STRING = 10_000;
/** Keys that would reach an object's prototype when copied carelessly. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a string cannot be accepted, or undefined when it can. */
export function textProblem(value: string, options: { multiline?: boolean; max?: number } = {}): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it holds a lone surrogate)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (!options.multiline && LINE_BREAKS.test(value)) return 'must not contain tabs or line breaks';
  if (value.length > (options.max ?? MAX_STRING)) return `must be at most ${options.max ?? MAX_STRING} characters`;
  return undefined;
}

export interface TextIssue {
  path: string;
  message: string;
}

/**
 * Every string (and key) in a JSON value that breaks the rule, with its path; `multiline` names
 * the top-level keys whose text may span lines. Stops at the first few issues.
 */
export function textIssues(value: unknown, prefix: string, multiline: ReadonlySet<string> = new Set(), max = MAX_STRING): TextIssue[] {
  const issues: TextIssue[] = [];
  const walk = (node: unknown, path: string[], depth: number): void => {
    if (issues.length >= 10) return;
    const at = [prefix, ...path].filter(Boolean).join('.');
    if (typeof node === 'string') {
      const problem = textProblem(node, { multiline: path.length === 1 && multiline.has(path[0]!), max });
      if (problem) issues.push({ path: at, message: problem });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (depth >= MAX_DEPTH) {
      issues.push({ path: at, message: `is nested too deeply (at most ${MAX_DEPTH} levels)` });
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      const keyProblem = PROTOTYPE_KEYS.has(key) ? 'is not an accepted field name' : textProblem(key, { max: 100 });
      if (keyProblem) issues.push({ path: [at, safeKey(key)].filter(Boolean).join('.'), message: `field name ${keyProblem}` });
      else walk(child, [...path, safeKey(key)], depth + 1);
    }
  };
  walk(value, [], 0);
  return issues;
}

/** A key as it may appear in an error message: never the raw characters that were refused. */
function safeKey(key: string): string {
  return /^[A-Za-z0-9_.-]{1,40}$/.test(key) ? key : '(field)';
}

/** The same value with every string in Unicode NFC, so equal text is stored and compared equally. */
export function normalizeText<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map(normalizeText) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.normalize('NFC'), normalizeText(v)])) as T;
  }
  return value;
}

/**
 * Characters that show nothing yet change or hide what is around them: direction marks, embeddings,
 * overrides and isolates, zero-width spaces and joiners' look-alikes, the byte-order mark, tag
 * characters, and letters drawn blank (Hangul fillers, the blank Braille pattern). Zero-width
 * (non-)joiners are not among them: Persian and Arabic words need them.
 */
const INVISIBLE = /[\u061C\u115F\u1160\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u2800\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]/u;
/** Not counted as seen: spaces, format characters, combining marks and what Unicode says to ignore when it cannot be shown. */
const UNSEEN = /[\p{Z}\p{Cf}\p{M}\s\p{Default_Ignorable_Code_Point}]/u;

/** How many characters of the text a reader sees: spaces, format characters and combining marks are not counted. */
export function visibleLength(text: string): number {
  let count = 0;
  for (const character of text) if (!UNSEEN.test(character)) count += 1;
  return count;
}

/**
 * The rule for free text a person writes for others to read (a note, a justification): no
 * invisible or direction-changing characters, and at least `min` characters a reader sees.
 */
export function freeTextProblem(text: string, min: number): string | undefined {
  if (INVISIBLE.test(text)) return 'must not contain invisible or direction-changing characters';
  if (visibleLength(text) < min) return `must have at least ${min} visible character${min === 1 ? '' : 's'}`;
  return undefined;
}
