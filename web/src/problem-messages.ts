import { ApiError, NetworkError, type ProblemError } from './api.js';
import { formatDate, has, label, language, t } from './i18n.js';
import { said } from './says.js';
import type { FieldErrorCode } from '../../src/domain/problem-codes.js';

/**
 * What a problem answer means for the user, in their language. The API names each fault by a
 * stable code with its parameters (problem+json `errors[]`: pointer, code, params); the console
 * translates the code and never shows the API's English `detail` or a field path when it knows it.
 */
export type { FieldErrorCode };

export type Params = Record<string, unknown>;

const list = (items: string[]) => new Intl.ListFormat(language(), { type: 'conjunction' }).format(items);
const valueLabel = (value: string) => (has(`value.${value}`) ? label('value', value) : value);
const stageLabel = (value: string) => (has(`stage.${value}`) ? label('stage', value) : value);
const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : [String(value)]);

/** Parameters as the sentence shows them: stages, actions, roles and values by their names in the language, dates in its way. */
function shown(params: Params): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number') out[name] = value;
    else if (name === 'stage' || name === 'stages') out[name] = list(strings(value).map(stageLabel));
    else if (name === 'action') out[name] = has(`action.${value}`) ? label('action', String(value)) : String(value);
    else if (name === 'role' || name === 'roles') out[name] = list(strings(value).map((r) => label('role', r)));
    else if (name === 'date') out[name] = formatDate(String(value));
    else if (name === 'blockers' || name === 'gaps') out[name] = strings(value).map(said).join('; ');
    else if (name === 'option' || name === 'options' || name === 'institution' || name === 'expected') out[name] = list(strings(value).map(valueLabel));
    else if (name === 'status') out[name] = String(value);
    else out[name] = Array.isArray(value) ? list(value.map(String)) : String(value);
  }
  return out;
}

/** A message for a field's fault: the API's, or the console's own check by the same code. */
export function fieldMessage(code: FieldErrorCode | string, params: Params = {}): string {
  return t(has(`fieldError.${code}`) ? `fieldError.${code}` : 'fieldError.invalid', shown(params));
}

/** The message of a whole-request fault: a refusal's own code, a field code, or the problem's. */
function wholeMessage(error: ProblemError): string | undefined {
  if (has(`refusalWhy.${error.code}`)) return t(`refusalWhy.${error.code}`, shown(error.params ?? {}));
  if (has(`fieldError.${error.code}`)) return fieldMessage(error.code, error.params);
  return has(`error.${error.code}`) ? t(`error.${error.code}`) : undefined;
}

/**
 * `summary`: what went wrong as a whole (a refusal, or "check the fields"); `fields`: a message for
 * each field at fault, keyed by its JSON pointer in the request body (`/person/birthDate` when
 * opening a pathway, `/payload/reason` for an action). `detail`: the API's own words, only when the
 * console knows no code of the problem (an older server).
 */
export function problemMessages(error: unknown): { summary: string; fields: Record<string, string>; detail?: string } {
  if (error instanceof NetworkError) return { summary: t('error.network'), fields: {} };
  if (!(error instanceof ApiError)) return { summary: t('error.unexpected'), fields: {} };
  const { problem } = error;
  const fields: Record<string, string> = {};
  const whole: string[] = [];
  for (const fault of problem.errors ?? []) {
    if (fault.pointer === '' && !fault.in) {
      const message = wholeMessage(fault);
      if (message) whole.push(message);
    } else if (fault.in) {
      whole.push(fieldMessage(fault.code, fault.params));
    } else {
      fields[fault.pointer] = fields[fault.pointer] ? `${fields[fault.pointer]} ${fieldMessage(fault.code, fault.params)}` : fieldMessage(fault.code, fault.params);
    }
  }
  if (whole.length) return { summary: whole.join(' '), fields };
  if (Object.keys(fields).length) return { summary: t('problem.checkFields'), fields };
  const title = has(`error.${problem.code}`) ? t(`error.${problem.code}`) : t('error.unexpected');
  return { summary: title, fields, ...(problem.detail ? { detail: problem.detail } : {}) };
}

/** The name of the field a pointer ends at, when the language has one (`/person/birthDate` → "Date of birth"). */
export function fieldName(pointer: string): string | undefined {
  const name = pointer.split('/').filter((s) => s && !/^\d+$/.test(s)).pop();
  return name && has(`field.${name}`) ? label('field', name) : undefined;
}
