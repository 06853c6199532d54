// When digests go: once a day at the digest hour (UTC), or every interval in tests and development.
import type { Config } from '../../../config/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The latest time a digest was due at or before `now`: today's digest hour (UTC), else yesterday's; or the last interval's start. */
export function digestBoundary(now: Date, email: Config['email']): Date {
  if (email.digestIntervalMs) return new Date(Math.floor(now.getTime() / email.digestIntervalMs) * email.digestIntervalMs);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), email.digestHour);
  return new Date(today <= now.getTime() ? today : today - DAY_MS);
}
