import type { FastifyRequest } from 'fastify';
import { LOOPBACK_HOSTS } from '../../config/settings.js';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * A request from a browser or program on this machine that also addressed this machine by name:
 * a loopback connection (not a proxy or tunnel in front of it) and a loopback Host header (not a
 * public name rebound to 127.0.0.1 by a web page). What development-only shortcuts require.
 */
export function fromThisMachine(request: FastifyRequest): boolean {
  if (!LOOPBACK_ADDRESSES.has(request.socket.remoteAddress ?? '')) return false;
  const host = request.headers.host ?? '';
  return URL.canParse(`http://${host}`) && LOOPBACK_HOSTS.has(new URL(`http://${host}`).hostname);
}
