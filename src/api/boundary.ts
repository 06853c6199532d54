import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normalizeText, textIssues } from '../domain/text.js';
import { validationError } from '../errors.js';

/** Headers the service stores or echoes; the others it never keeps. */
const STORED_HEADERS = ['idempotency-key'] as const;
/** Body fields whose text may span lines. */
const MULTILINE = new Set(['note']);

function check(request: FastifyRequest): void {
  // A file's bytes (a cohort's CSV) are text only once their encoding is known: their route reads them.
  const body = Buffer.isBuffer(request.body) ? undefined : request.body;
  const headers = Object.fromEntries(STORED_HEADERS.filter((h) => request.headers[h] !== undefined).map((h) => [h, request.headers[h]]));
  const issues = [
    ...textIssues(request.params, 'params'),
    ...textIssues(request.query, 'querystring'),
    ...textIssues(headers, 'headers'),
    // Encoded payloads are bounded by the body limit alone: a pathway's state can be long.
    ...textIssues(body, 'body', MULTILINE, request.url.startsWith('/codec/') ? Infinity : undefined),
  ];
  if (issues.length) throw validationError(issues);
}

/**
 * One rule at the edge for every string a request brings (body, query, path, stored headers):
 * well-formed Unicode, no control characters, bounded size and depth; then NFC, so what is stored
 * compares equal to what is searched. Runs before the routes' schemas.
 */
export function registerInputBoundary(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    check(request);
    if (request.body !== undefined && !Buffer.isBuffer(request.body)) request.body = normalizeText(request.body);
    request.query = normalizeText(request.query);
  });
}
