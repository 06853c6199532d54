import { z } from 'zod';
import { IsoDate } from '../domain/open.js';
import { validationError } from '../errors.js';

/** A timestamp as PostgreSQL prints `timestamptz::text` (to the microsecond), checked so that a forged one cannot fail the query. */
export const PgTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/)
  .refine((value) => value >= '1900' && IsoDate.safeParse(value.slice(0, 10)).success && !Number.isNaN(Date.parse(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'))));

/** A page's position as the client gets it: the sort key of its last row, opaque (base64url JSON). */
export const encodeCursor = (position: readonly unknown[]) => Buffer.from(JSON.stringify(position)).toString('base64url');

/** The position a cursor stands for; a cursor this API did not give out is a 400 naming it. */
export function decodeCursor<T extends z.ZodType>(cursor: string, position: T): z.output<T> {
  try {
    return position.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw validationError([{ path: 'querystring.cursor', message: 'is not a cursor this API gave out', code: 'invalid-cursor' }]);
  }
}
