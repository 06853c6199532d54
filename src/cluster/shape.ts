import path from 'node:path';
import { PROJECT_ROOT } from '../../config/index.js';
import { IDP_AUDIENCE, IDP_ISSUER } from './identity-provider.js';

// What the production shape is made of, for `npm run cluster` and for the test that keeps
// docker-compose.yml alike (test/deploy/compose.test.ts).
export { TEMPORAL_SERVER_RELEASE } from '../temporal/server-build.js';
export { serviceCommand } from './service-process.js';
export { DYNAMIC_CONFIG, HISTORY_SHARDS, SCHEMA_SCRIPT, SQL_PLUGIN } from './temporal-server.js';

export const NAMESPACE = 'pathways';
export const TASK_QUEUE = 'pathways';
/** Worker processes: docker-compose.yml's replicas. */
export const WORKERS = 2;

/**
 * What every service process of the cluster is given: the production settings docker-compose.yml
 * gives its api and worker, with the identity provider's own authority to trust and, for a
 * rehearsal (clock scale other than 1), compressed template time.
 */
export function serviceSettings(s: {
  apiPort: number;
  temporalAddress: string;
  databaseUrl: string;
  jwksUrl: string;
  smtpUrl: string;
  caFile: string;
  payloadKey: string;
  clockScale: number;
  rateLimitPerMinute?: number;
}): NodeJS.ProcessEnv {
  const keyId = 'cluster-1';
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(s.apiPort),
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    TEMPORAL_ADDRESS: s.temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    DATABASE_URL: s.databaseUrl,
    AUTH_JWKS_URL: s.jwksUrl,
    AUTH_JWT_ISSUER: IDP_ISSUER,
    AUTH_JWT_AUDIENCE: IDP_AUDIENCE,
    PAYLOAD_KEYS: `${keyId}:${s.payloadKey}`,
    PAYLOAD_ACTIVE_KEY: keyId,
    // The development directory: the rehearsal's tokens name its organisations.
    ORGANISATIONS_FILE: path.join(PROJECT_ROOT, 'config', 'organisations.json'),
    // A catcher on this machine: the rehearsal sends e-mail, to nobody.
    SMTP_URL: s.smtpUrl,
    SMTP_FROM: 'Pathways rehearsal <pathways@rehearsal.invalid>',
    NODE_EXTRA_CA_CERTS: s.caFile,
    ...(s.rateLimitPerMinute ? { RATE_LIMIT_PER_MINUTE: String(s.rateLimitPerMinute) } : {}),
    ...(s.clockScale !== 1 ? { REHEARSAL: 'true', PATHWAY_CLOCK_SCALE: String(s.clockScale) } : {}),
  };
}

