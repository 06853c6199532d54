/**
 * What a PostgreSQL failure means for the caller, decided from its SQLSTATE (never its message,
 * which can quote the values that were refused).
 */

/** A failure of PostgreSQL or of the way to it: worth retrying later. */
const TRANSIENT_CLASSES = ['08', '53', '57', '58', '40'];
/** Errors of the pg driver itself (pool time-outs, dropped connections) carry no SQLSTATE. */
const TRANSIENT_MESSAGES = [/timeout exceeded when trying to connect/i, /connection terminated/i, /connection (timeout|ended)/i, /Client has encountered a connection error/i];
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

const sqlState = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** PostgreSQL unreachable, overloaded, restarting or timed out: the same request may work later. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const state = sqlState(error);
  if (state) return TRANSIENT_CLASSES.includes(state.slice(0, 2));
  const nodeCode = (error as { code?: unknown }).code;
  if (typeof nodeCode === 'string' && TRANSIENT_NODE_CODES.has(nodeCode)) return true;
  return TRANSIENT_MESSAGES.some((pattern) => pattern.test(error.message));
}

/**
 * PostgreSQL refused the data itself: a data exception (class 22) or an integrity constraint the
 * data breaks (class 23): retrying the same data never helps.
 */
export function isDataRejected(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/** A unique violation of this constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return sqlState(error) === '23505' && (error as { constraint?: string }).constraint === constraint;
}

/**
 * What may be logged of an error: its kind and codes, without the message and detail of a
 * database error, which quote the offending values.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const state = sqlState(error);
  const e = error as Error & { constraint?: string; routine?: string; table?: string; column?: string };
  if (state) return { type: e.name, sqlState: state, constraint: e.constraint, table: e.table, column: e.column, routine: e.routine };
  return { type: e.name, code: (e as { code?: unknown }).code, message: e.message, stack: e.stack?.split('\n').slice(1, 8).join('\n') };
}
