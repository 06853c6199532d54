import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/index.js';
import { PERSONAL_FIELDS } from './domain/personal-fields.js';

export type { Logger } from 'pino';

const REDACT_DEPTH = 5;

/** Redaction paths for every personal field at any depth up to REDACT_DEPTH, plus credentials. */
const REDACT_PATHS = [
  ...PERSONAL_FIELDS.flatMap((field) =>
    Array.from({ length: REDACT_DEPTH }, (_, depth) => [...Array(depth).fill('*'), field].join('.')),
  ),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
];

/**
 * The one logger of a process: JSON by default, human-readable when asked for, on stdout (1) or,
 * for commands whose output is the result, stderr (2). Children of it go to Fastify, the worker
 * and the activities.
 */
export function createLogger(log: Config['log'], destination: pino.DestinationStream | 1 | 2 = 1): Logger {
  const options: pino.LoggerOptions = {
    level: log.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  const stream =
    typeof destination !== 'number'
      ? destination
      : log.format === 'pretty'
        ? pretty({ colorize: true, sync: true, destination })
        : pino.destination(destination);
  return pino(options, stream);
}
