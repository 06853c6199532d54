import { ApiError, NetworkError } from './api.js';
import { t } from './i18n.js';

/**
 * What a problem answer means for the user, in their language. The API names each fault by a
 * stable code with its parameters (problem+json `errors[]`: pointer, code, params); the console
 * translates the code, never shows the API's English `detail` or a field path when it knows the code.
 */

/** Codes of faults in a field, the same for the API and the console's own checks. */
export type FieldErrorCode = string;

/** A message for a field's fault: the API's or the console's own check, by the same code. */
export function fieldMessage(code: string, params: Record<string, unknown> = {}): string {
  return t(`fieldError.${code}`, params as Record<string, string | number>);
}

/**
 * `summary`: what went wrong as a whole (a refusal, or "some fields are not valid");
 * `fields`: a message for each field at fault, keyed by its JSON pointer in the request body
 * (`/person/birthDate` when opening a pathway, `/payload/reason` for an action).
 */
export function problemMessages(error: unknown): { summary: string; fields: Record<string, string> } {
  if (error instanceof NetworkError) return { summary: t('error.network'), fields: {} };
  if (!(error instanceof ApiError)) return { summary: t('error.unexpected'), fields: {} };
  return { summary: t(`error.${error.problem.code}`), fields: {} };
}
