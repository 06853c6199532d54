import type { CodedError, FieldFault } from './domain/problem-codes.js';

/** Every error the API can answer with: a stable code, an HTTP status and a title. */
export const ERRORS = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'unreadable-file': { status: 400, title: 'The file cannot be read as text' },
  'unauthorized': { status: 401, title: 'Authentication is required' },
  'forbidden': { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'request-timeout': { status: 408, title: 'The request took too long to arrive' },
  'action-refused': { status: 409, title: 'The pathway does not accept this action now' },
  'possible-duplicate': { status: 409, title: 'This person may already have a pathway' },
  'idempotency-conflict': { status: 409, title: 'The Idempotency-Key was used for a different request' },
  'action-id-reused': { status: 409, title: 'The actionId was used for a different action' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'uri-too-long': { status: 414, title: 'The URL is too long' },
  'unsupported-media-type': { status: 415, title: 'The request body must be JSON' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'headers-too-large': { status: 431, title: 'The request headers are too large' },
  'internal': { status: 500, title: 'Internal error' },
  'unavailable': { status: 503, title: 'A service the request needs is not available' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** A field at fault: its dotted path (`body.person.birthDate`), English message, and catalogue code with parameters. */
export type FieldProblem = FieldFault;

/** An error with a code from the catalogue; the API renders it as RFC 9457 problem+json. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extras: {
      fields?: FieldProblem[];
      reason?: string;
      /** A refusal's own code and parameters (`screening-already-cleared`), finer than its reason. */
      why?: CodedError;
      retryAfterSeconds?: number;
      actionId?: string;
      duplicates?: readonly object[];
    } = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

export function validationError(fields: FieldProblem[], message = 'Some fields are not valid.'): AppError {
  return new AppError('validation-failed', message, { fields });
}
