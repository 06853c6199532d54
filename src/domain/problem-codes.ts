/**
 * The closed catalogue of what can be wrong with a field of a request: each fault is a stable code
 * with parameters, so a client tells it in its user's language; the English message stays for API
 * users. Plain data and functions: the workflow's Update validator uses them too.
 */
export const FIELD_ERROR_CODES = [
  'required',
  'not-expected',
  'invalid-type',
  'invalid',
  'too-short',
  'too-long',
  'too-few',
  'too-many',
  'too-small',
  'too-big',
  'not-integer',
  'not-multiple-of',
  'not-one-of',
  'unknown-field',
  'invalid-id',
  'invalid-format',
  'invalid-date',
  'invalid-birth-date',
  'date-too-early',
  'date-in-future',
  'birth-after-arrival',
  'too-old',
  'age-out-of-range',
  'children-only',
  'child-needs-companion',
  'adult-arrives-as-adult',
  'invalid-duration',
  'duration-out-of-range',
  'invalid-text',
  'no-line-breaks',
  'invisible-characters',
  'too-deep',
  'invalid-field-name',
  'not-in-directory',
  'organisation-not-in-programme',
  'no-phases',
  'assignee-not-seen',
  'not-own-pathway',
  'same-person-twice',
  'not-this-pathway',
  'not-current-version',
  'invalid-cursor',
  'search-needs-letters',
  'too-many-words',
  'search-needs-criteria',
  'approvals-supervisors-only',
  'unknown-identity',
  'invalid-json',
  'https-url-only',
  'export-needs-reason',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export type ErrorParams = Record<string, string | number | boolean | string[]>;

/** One fault as problem+json `errors[]` names it. */
export interface CodedError {
  code: string;
  params?: ErrorParams;
}

/** A field at fault: its path (`body.person.birthDate`), the English message, and its code. */
export interface FieldFault {
  path: string;
  message: string;
  code?: FieldErrorCode;
  params?: ErrorParams;
}

/** Fixed English messages of our schemas and text rules, and the code each stands for. */
const MESSAGES: Record<string, FieldErrorCode> = {
  'must be a date as YYYY-MM-DD': 'invalid-date',
  'must be a date as YYYY-MM-DD or DD.MM.YYYY': 'invalid-date',
  'must be a real calendar date': 'invalid-date',
  'must be a real calendar date after 1900': 'invalid-birth-date',
  'must be a date as YYYY-MM-DD or DD.MM.YYYY, or YYYY-MM (MM.YYYY) or YYYY when only that is known': 'invalid-birth-date',
  'must not be in the future': 'date-in-future',
  'must not be empty': 'required',
  'must have a visible character': 'required',
  'must be an organisation id': 'invalid-id',
  'must be an id of letters, digits, dash or underscore': 'invalid-id',
  'must be 1-100 letters, digits or ._:-': 'invalid-id',
  'must be the id the person signs in with': 'invalid-id',
  'must be a referral id': 'invalid-id',
  'must be a programme code such as KZ': 'invalid-format',
  'must be an operation name such as Zhusan': 'invalid-format',
  'must be a phase number such as 1': 'invalid-format',
  'must be an ISO 8601 duration such as P30D, P6M or P1Y': 'invalid-duration',
  'must be well-formed text': 'invalid-text',
  'must be well-formed Unicode (it holds a lone surrogate)': 'invalid-text',
  'must not contain control characters': 'invalid-text',
  'must not contain tabs or line breaks': 'no-line-breaks',
  'must not contain invisible or direction-changing characters': 'invisible-characters',
  'another programme needs the operation the person joins in it': 'required',
};

/** Messages with a number or a range in them. */
const PATTERNS: [RegExp, (m: RegExpExecArray) => CodedError][] = [
  [/^must be a date after (\d{4})$/, (m) => ({ code: 'date-too-early', params: { min: `${m[1]}-01-01` } })],
  [/^must have at least (\d+) visible characters?$/, (m) => ({ code: 'too-short', params: { min: Number(m[1]) } })],
  [/^must be at most (\d+) characters$/, (m) => ({ code: 'too-long', params: { max: Number(m[1]) } })],
  [/^is nested too deeply \(at most (\d+) levels\)$/, (m) => ({ code: 'too-deep', params: { max: Number(m[1]) } })],
  [/^field name /, () => ({ code: 'invalid-field-name' })],
  [/^must be an ISO 8601 duration from (P\w+) to (P\w+)$/, (m) => ({ code: 'duration-out-of-range', params: { min: m[1]!, max: m[2]! } })],
];

/** Refinements that tie two fields: the one named is required with the other's value, or must be left out. */
const TIED = ['duplicateOf names the pathway that stays, exactly when the reason is duplicate', 'notPossibleBecause is given exactly when the result is not-possible'];

/** The code of an English field message; `present` tells whether the field has a value. */
export function codeOfMessage(message: string, present = true): CodedError {
  const fixed = MESSAGES[message];
  if (fixed) return { code: fixed };
  if (TIED.includes(message)) return { code: present ? 'not-expected' : 'required' };
  for (const [pattern, make] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return make(match);
  }
  return { code: 'invalid' };
}

/** The parts of a zod issue this catalogue reads (zod v4's, or fastify-type-provider-zod's copy of one). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
}

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), input);

type Issue = IssueLike & Record<string, unknown>;

function sizeCode(issue: Issue, small: boolean): CodedError {
  const limit = Number(small ? issue.minimum : issue.maximum);
  const origin = String(issue.origin ?? '');
  if (origin === 'string') return small && limit === 1 ? { code: 'required' } : { code: small ? 'too-short' : 'too-long', params: small ? { min: limit } : { max: limit } };
  if (origin === 'array' || origin === 'set') return { code: small ? 'too-few' : 'too-many', params: small ? { min: limit } : { max: limit } };
  return { code: small ? 'too-small' : 'too-big', params: { ...(small ? { min: limit } : { max: limit }), inclusive: issue.inclusive !== false } };
}

const MISSING = new Set(['invalid_type', 'invalid_value', 'invalid_union', 'invalid_format']);

/** The code and parameters of one zod issue; `input` is the value the issue's path points into. */
export function codeOfIssue(like: IssueLike, input: unknown): CodedError {
  const issue = like as Issue;
  const present = valueAt(input, issue.path) !== undefined;
  const params = (issue.params ?? {}) as Record<string, unknown>;
  // Zod says what a missing value is not (a string, one of the options): the user left it out.
  if (!present && MISSING.has(issue.code)) return { code: 'required' };
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? { code: 'not-integer' } : { code: 'invalid-type', params: { expected: String(issue.expected) } };
    case 'too_small':
      return sizeCode(issue, true);
    case 'too_big':
      return sizeCode(issue, false);
    case 'not_multiple_of':
      return { code: 'not-multiple-of', params: { divisor: Number(issue.divisor) } };
    case 'invalid_value':
      return { code: 'not-one-of', params: { options: ((issue.values as unknown[]) ?? []).map(String) } };
    case 'invalid_format': {
      if (issue.format === 'regex') return codeOfMessage(issue.message, present);
      if (issue.format === 'uuid' || issue.format === 'guid') return { code: 'invalid-id' };
      if (issue.format === 'date' || issue.format === 'datetime') return { code: 'invalid-date' };
      return { code: 'invalid-format' };
    }
    case 'custom':
      if (typeof params.code === 'string' && (FIELD_ERROR_CODES as readonly string[]).includes(params.code)) return { code: params.code };
      return codeOfMessage(issue.message, present);
    case 'invalid_union':
      return { code: 'invalid' };
    default:
      return { code: 'invalid' };
  }
}

/**
 * The faults of a zod error as fields: `prefix` is the path the issues' paths are under
 * (`payload`), `input` the value they were checked against. An unknown field is named itself.
 */
export function faultsOfIssues(issues: readonly IssueLike[], input: unknown, prefix: readonly PropertyKey[] = []): FieldFault[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const path = [...prefix, ...issue.path].map(String).join('.');
      return (((issue as Issue).keys as string[]) ?? []).map((key) => ({ path, message: issue.message, code: 'unknown-field' as const, params: { field: key } }));
    }
    const { code, params } = codeOfIssue(issue, input);
    return [{ path: [...prefix, ...issue.path].map(String).join('.'), message: issue.message, code: code as FieldErrorCode, ...(params ? { params } : {}) }];
  });
}

/** An RFC 6901 JSON pointer from a dotted path's segments. */
export const pointerOf = (segments: readonly string[]) => segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
