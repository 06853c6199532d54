import { ApiError, NetworkError } from './api.js';
import { has, language, t } from './i18n.js';

/**
 * MINIMAL LOCAL VERSION (forms helper): the errors helper owns this file and its real version
 * (ICU plurals, every server code). Same signatures: `fieldMessage(code, params)` and
 * `problemMessages(error) -> { summary, fields }`, fields keyed by JSON pointer (`/payload/result`).
 */
export type Params = Record<string, unknown>;

/** One error of a problem as the API names it: where, a stable code, and its values. */
interface CodedError {
  pointer: string;
  code: string;
  params?: Params;
}

const texts = (params: Params): Record<string, string | number> =>
  Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'number' ? value : Array.isArray(value) ? value.join(', ') : String(value)]));

/** The message for a field's error code in the user's language; a code it does not know reads as "not valid". */
export function fieldMessage(code: string, params: Params = {}): string {
  const key = `field-error.${code}`;
  return t(has(key) ? key : 'field-error.invalid', texts(params));
}

/** A path the API wrote with dots (`payload.result`, `body.payload.result`) as a JSON pointer into the body (`/payload/result`). */
const pointerOf = (path: string) => `/${path.replace(/^body\./, '').split('.').join('/')}`;

/** What went wrong, in the user's language: a sentence for the top of the form, and one per field it names. */
export function problemMessages(error: unknown): { summary: string; fields: Record<string, string> } {
  if (error instanceof NetworkError) return { summary: t('error.network'), fields: {} };
  if (!(error instanceof ApiError)) return { summary: t('error.unexpected'), fields: {} };
  const problem = error.problem as ApiError['problem'] & { errors?: CodedError[] };
  const fields: Record<string, string> = {};
  for (const item of problem.errors ?? []) fields[item.pointer] ??= fieldMessage(item.code, item.params);
  // Before the API named codes: only where, and "not valid" (its English words are not shown).
  for (const item of problem.fields ?? []) fields[pointerOf(item.path)] ??= fieldMessage('invalid');
  const key = problem.reason && has(`refusal.${problem.reason}`) ? `refusal.${problem.reason}` : has(`error.${problem.code}`) ? `error.${problem.code}` : 'error.unexpected';
  // The API's own words explain a refusal until its codes carry the why; they are English, so shown in English only.
  const why = language() === 'en' && problem.detail && key !== 'error.validation-failed' ? ` — ${problem.detail}` : '';
  return { summary: `${t(key)}${why}`, fields };
}
