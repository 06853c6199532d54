import type { FastifyError, FastifyInstance } from 'fastify';
import { isTransientDatabaseError, loggableError } from '../db/errors.js';
import { AppError, ERRORS, type ErrorCode, type FieldProblem } from '../errors.js';
import { codeOfMessage, faultsOfIssues, pointerOf, type ErrorParams, type IssueLike } from '../domain/problem-codes.js';

/** One fault of a problem: where (a JSON pointer into the request body, "" for the whole request), what (a catalogue code) and its parameters. */
export interface ProblemError {
  pointer: string;
  /** Set when the pointer is into the query string, path or headers rather than the body. */
  in?: 'querystring' | 'params' | 'headers';
  code: string;
  params: ErrorParams;
}

/** An RFC 9457 problem body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors: ProblemError[];
  fields?: { path: string; message: string }[];
  reason?: string;
  actionId?: string;
  duplicates?: readonly object[];
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation-failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation-failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation-failed',
};

/** Seconds a caller should wait before retrying when PostgreSQL does not answer. */
const DATABASE_RETRY_SECONDS = 5;

/** The fields a schema refused, as problems name them (`body.people.3.person.birthDate`), each with its code. */
export function validationFields(error: Pick<FastifyError, 'validation' | 'validationContext'>, input?: unknown): FieldProblem[] {
  const issues = (error.validation ?? []).map((issue) => ({
    ...(issue.params as object),
    code: issue.keyword,
    path: issue.instancePath.split('/').filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
    message: issue.message ?? 'is not valid',
  })) as IssueLike[];
  return faultsOfIssues(issues, input, error.validationContext ? [error.validationContext] : []);
}

const OUTSIDE_BODY = new Set(['querystring', 'params', 'headers']);

/** A field's path as a pointer: `body.person.sex` and an action's `payload.sex` point into the body. */
export function problemError(field: FieldProblem): ProblemError {
  const segments = field.path.split('.').filter(Boolean);
  const where = segments[0] === 'body' || OUTSIDE_BODY.has(segments[0]!) ? segments.shift() : undefined;
  const { code, params } = field.code ? { code: field.code, params: field.params } : codeOfMessage(field.message);
  return { pointer: pointerOf(segments), ...(where && where !== 'body' ? { in: where as ProblemError['in'] } : {}), code, params: params ?? {} };
}

/** Every fault of an error: a refusal's own code first, then each field's; the error's code when nothing finer is known. */
function errorsOf(appError: AppError): ProblemError[] {
  const errors = (appError.extras.fields ?? []).map(problemError);
  if (appError.extras.why) errors.unshift({ pointer: '', code: appError.extras.why.code, params: appError.extras.why.params ?? {} });
  return errors.length ? errors : [{ pointer: '', code: appError.code, params: {} }];
}

function fromFastify(error: FastifyError, input: unknown): AppError {
  // A path that names no resource: nothing by that id can exist.
  if (error.validation && error.validationContext === 'params') return new AppError('not-found', 'There is nothing with this id.');
  if (isTransientDatabaseError(error)) {
    return new AppError('unavailable', 'The database did not answer in time; retry later.', { retryAfterSeconds: DATABASE_RETRY_SECONDS });
  }
  if (error.validation) return new AppError('validation-failed', 'Some fields are not valid.', { fields: validationFields(error, input) });
  const code = FASTIFY_CODES[error.code] ?? (error.statusCode === 400 ? 'validation-failed' : undefined);
  if (code === 'validation-failed') return new AppError(code, 'The request body is not valid JSON.', { why: { code: 'invalid-json' } });
  if (code) return new AppError(code, error.message);
  if (error.statusCode === 429) return new AppError('rate-limited', 'Too many requests: slow down and retry later.');
  if (error.statusCode === 404) return new AppError('not-found', 'Not found.');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('validation-failed', error.message);
  }
  return new AppError('internal', 'Something went wrong on our side; the request id helps us find out what.');
}

function problemOf(appError: AppError, requestId: string): Problem {
  const { title, status } = ERRORS[appError.code];
  return {
    type: `/problems/${appError.code}`,
    title,
    status,
    detail: appError.message,
    code: appError.code,
    requestId,
    errors: errorsOf(appError),
    ...(appError.extras.fields ? { fields: appError.extras.fields.map(({ path, message }) => ({ path, message })) } : {}),
    ...(appError.extras.reason ? { reason: appError.extras.reason } : {}),
    ...(appError.extras.actionId ? { actionId: appError.extras.actionId } : {}),
    ...(appError.extras.duplicates ? { duplicates: appError.extras.duplicates } : {}),
  };
}

/** One error handler for the whole API: problem+json, no stack traces, internals hidden on 5xx. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const fastifyError = error as FastifyError;
    // Fastify names the query string's context `querystring` but keeps its values in `request.query`.
    const context = fastifyError.validationContext === 'querystring' ? 'query' : fastifyError.validationContext;
    const input = context ? (request as unknown as Record<string, unknown>)[context] : undefined;
    const appError = error instanceof AppError ? error : fromFastify(fastifyError, input);
    const problem = problemOf(appError, request.id);
    // Codes and field paths only: a database error's message quotes the values it refused.
    if (problem.status >= 500) request.log.error({ code: problem.code, error: loggableError(error) }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    if (appError.extras.retryAfterSeconds) reply.header('retry-after', String(appError.extras.retryAfterSeconds));
    return reply.status(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = problemOf(new AppError('not-found', `There is no route ${request.method} ${request.url.split('?')[0]}.`), request.id);
    return reply.status(404).type('application/problem+json').send(problem);
  });
}

/** The problem body an error would be answered with: for one item of a bulk request, as its own request would answer it. */
export function problemFor(error: unknown, requestId: string): Problem {
  return problemOf(error instanceof AppError ? error : fromFastify(error as FastifyError, undefined), requestId);
}
