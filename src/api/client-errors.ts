import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, type ErrorCode } from '../errors.js';
import type { Problem } from './problems.js';

/**
 * Requests refused before they reach a route, so before the API's error handler: what Node's
 * HTTP parser refuses (`clientErrorHandler`) and what Fastify's router refuses (`frameworkErrors`).
 * Both answer problem+json like every other error.
 */

/** Apache's and nginx's default limit on a request line; longer ones answer 414 when the parser gives up on them. */
const MAX_REQUEST_LINE_BYTES = 8190;
const REQUEST_LINE_START = /^[A-Z]+ \S/;

function problem(code: ErrorCode, detail: string, requestId: string): Problem {
  const { title, status } = ERRORS[code];
  return { type: `/problems/${code}`, title, status, detail, code, requestId, errors: [{ pointer: '', code, params: {} }] };
}

function routerRefusal(error: FastifyError): [ErrorCode, string] {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return ['validation-failed', 'The URL is not valid: it has a malformed percent-encoding.'];
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return ['uri-too-long', 'A path segment of the URL is too long.'];
    default:
      return ['internal', 'Something went wrong on our side; the request id helps us find out what.'];
  }
}

/** Fastify's `frameworkErrors`: a URL the router cannot decode (400) or a path parameter too long (414). */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const [code, detail] = routerRefusal(error);
  if (code === 'internal') request.log.error({ err: error }, 'request failed');
  else request.log.info({ code, status: ERRORS[code].status, fastifyCode: error.code }, 'request refused');
  // These replies skip the app's hooks, so the request id is set here.
  void reply
    .status(ERRORS[code].status)
    .header('x-request-id', request.id)
    .type('application/problem+json')
    .send(problem(code, detail, request.id));
}

/** Node counts the request line in its header limit: an overflow whose packet starts with a huge request line is a long URL. */
function requestLineTooLong(packet: unknown): boolean {
  if (!Buffer.isBuffer(packet) || !REQUEST_LINE_START.test(packet.subarray(0, 32).toString('latin1'))) return false;
  const end = packet.indexOf('\r\n');
  return (end === -1 ? packet.length : end) > MAX_REQUEST_LINE_BYTES;
}

function parserRefusal(error: ConnectionError): [ErrorCode, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return requestLineTooLong(error.rawPacket)
        ? ['uri-too-long', 'The URL is too long.']
        : ['headers-too-large', 'The request headers are too large.'];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return ['payload-too-large', 'The chunk extensions of the request body are too large.'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['request-timeout', 'The request did not arrive in time.'];
    default:
      return ['validation-failed', 'The request is not valid HTTP.'];
  }
}

/**
 * Fastify's `clientErrorHandler`, for what Node's HTTP parser refuses (headers over the limit,
 * malformed requests, timeouts): there is no request yet, so the response is written to the socket.
 */
export function clientErrorHandler(log: FastifyBaseLogger) {
  return (error: ConnectionError, socket: Socket): void => {
    // A reset connection has no one to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [code, detail] = parserRefusal(error);
    const requestId = randomUUID();
    const { status } = ERRORS[code];
    log.info({ code, status, parserCode: error.code, requestId }, 'request refused by the HTTP parser');
    // As Node itself does: answer only if no response of an earlier request on this socket has begun.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const body = JSON.stringify(problem(code, detail, requestId));
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          'Content-Type: application/problem+json\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${requestId}\r\n` +
          'Connection: close\r\n\r\n' +
          body,
      );
    }
    socket.destroy(error);
  };
}
