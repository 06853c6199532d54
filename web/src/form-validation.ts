import type { FieldErrorCode, Params } from './problem-messages.js';
import type { Choices, JsonSchema } from './json-schema.js';

/** Why a field's value cannot be sent: a code of the API's own catalogue (`FieldErrorCode`) and its values. */
export interface FieldProblem {
  code: FieldErrorCode;
  params?: Params;
}

type Values = Record<string, unknown>;

const isEmpty = (value: unknown) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** A deadline in days as the API takes it (`P5D`), and back. */
export const daysToDuration = (days: number) => `P${days}D`;
export const durationToDays = (value: unknown) => {
  const match = typeof value === 'string' ? /^P(\d+)D$/.exec(value) : null;
  return match ? Number(match[1]) : undefined;
};

/** A duration the console asks for in days: the schema says `format: duration`, with its range in days. */
export const isDuration = (field: JsonSchema) => field.type === 'string' && field.format === 'duration';

function numberProblem(value: unknown, field: { type?: string; minimum?: number; maximum?: number }): FieldProblem | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'invalid-type' };
  if (field.type === 'integer' && !Number.isInteger(value)) return { code: 'not-integer' };
  if (field.minimum !== undefined && value < field.minimum) return { code: 'too-small', params: { min: field.minimum, inclusive: true } };
  if (field.maximum !== undefined && value > field.maximum) return { code: 'too-big', params: { max: field.maximum, inclusive: true } };
  return undefined;
}

/** The first thing wrong with one field's value, as the JSON schema the API validates with says; undefined when it may be sent. */
export function fieldProblem(field: JsonSchema, value: unknown, required: boolean, offered?: Choices[string]): FieldProblem | undefined {
  if (isEmpty(value)) return required ? { code: 'required' } : undefined;
  if (offered && !Array.isArray(value) && !offered.some((o) => o.value === value)) return { code: 'not-one-of', params: { options: offered.map((o) => o.value) } };
  if (field.enum && !field.enum.includes(value as string)) return { code: 'not-one-of', params: { options: field.enum } };
  if (field.type === 'boolean') return typeof value === 'boolean' ? undefined : { code: 'required' };
  if (field.type === 'integer' || field.type === 'number') return numberProblem(value, field);
  if (isDuration(field)) {
    const days = durationToDays(value);
    return days === undefined ? { code: 'invalid-type' } : numberProblem(days, { type: 'integer', ...field['x-days'] });
  }
  if (field.type === 'array') {
    const list = value as unknown[];
    if (field.minItems !== undefined && list.length < field.minItems) return { code: 'too-few', params: { min: field.minItems } };
    if (field.maxItems !== undefined && list.length > field.maxItems) return { code: 'too-many', params: { max: field.maxItems } };
    const pattern = field.items?.pattern ? new RegExp(field.items.pattern) : undefined;
    if (pattern && list.some((item) => !pattern.test(String(item)))) return { code: 'invalid-format' };
    return undefined;
  }
  if (field.anyOf) {
    const shape = Object.entries((value as Values | undefined) ?? {})[0];
    return shape ? undefined : { code: 'required' };
  }
  if (typeof value === 'string') {
    if (field.minLength !== undefined && value.length < field.minLength) return { code: 'too-short', params: { min: field.minLength } };
    if (field.maxLength !== undefined && value.length > field.maxLength) return { code: 'too-long', params: { max: field.maxLength } };
    if (field.pattern && !new RegExp(field.pattern).test(value)) return { code: 'invalid-format' };
  }
  return undefined;
}

/** What is wrong with each field of a form, by field name: an empty record when the form may be sent. */
export function formProblems(schema: JsonSchema, values: Values, choices: Choices = {}): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const required = schema.required?.includes(name) ?? false;
    // A field with nothing to choose from that may be left out is not asked (a phase of an operation without phases).
    if (choices[name] && !choices[name].length && !required) continue;
    const problem = fieldProblem(field, values[name], required, choices[name]);
    if (problem) problems[name] = problem;
  }
  return problems;
}
