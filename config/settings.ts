// Every environment variable the service reads, what each accepts, and which are secret, required or development-only.
import { z } from 'zod';

const wholeNumber = (min: number, max: number) => {
  const allowed = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, allowed)
    .transform(Number)
    .refine((n) => n >= min && n <= max, allowed);
};
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const text = z.string().min(1);
const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, for example temporal.internal:7233');
const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), 'must be a postgres:// or postgresql:// URL');
/** Names of this machine in an address. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** An http:// address on this machine. */
export const isLoopbackHttp = (v: string) => URL.canParse(v) && new URL(v).protocol === 'http:' && LOOPBACK_HOSTS.has(new URL(v).hostname);
/**
 * An identity provider's address: https, or http on this machine's loopback outside production
 * (refused there by plainHttpProblems). Tests and development run a provider in-process on
 * 127.0.0.1; with https it would need a test CA in NODE_EXTRA_CA_CERTS, which Node reads only as
 * it starts. Plain http never leaves the machine.
 */
const providerUrl = z
  .string()
  .refine((v) => (URL.canParse(v) && new URL(v).protocol === 'https:') || isLoopbackHttp(v), 'must be an https:// URL (http:// only on 127.0.0.1 or localhost)');
/** An RFC 8707 resource indicator: an absolute URI without a fragment. */
export const isResourceIndicator = (v: string) => URL.canParse(v) && !v.includes('#');
const webUrl = z.string().refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http:// or https:// URL');
const encryptionKeys = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/,
    'must be comma-separated id:key pairs, each key 32 random bytes in base64 (openssl rand -base64 32)',
  );
const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'must be letters, digits, dot, dash or underscore');
const filePath = z.string().min(1, 'must be a file path');
/** An SMTP server: smtp:// (STARTTLS) or smtps:// (TLS from the start), with user:password@ when it asks for them. */
const smtpUrl = z
  .string()
  .refine((v) => URL.canParse(v) && ['smtp:', 'smtps:'].includes(new URL(v).protocol) && new URL(v).hostname !== '', 'must be an smtp:// or smtps:// URL, for example smtp://user:password@mail.example.org:587');
const mailbox = z.string().regex(/^([^<>\r\n]*<)?[^\s@<>]+@[^\s@<>]+\.?[^\s@<>]*>?$/, 'must be an e-mail address, for example "Pathways <pathways@example.org>"');
const share = z
  .string()
  .regex(/^(\d+\.?\d*|\.\d+)$/, 'must be a number from 0.1 to 0.9')
  .transform(Number)
  .refine((n) => n >= 0.1 && n <= 0.9, 'must be a number from 0.1 to 0.9');
const clockScale = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a number from 1 to 10000000')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 10_000_000, 'must be a number from 1 to 10000000');

/** Every environment variable the service reads, with what it accepts. */
export const settings = {
  NODE_ENV: oneOf(['development', 'test', 'production']),
  HOST: text,
  PORT: wholeNumber(0, 65535),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  LOG_FORMAT: oneOf(['json', 'pretty']),
  SHUTDOWN_TIMEOUT_SECONDS: wholeNumber(1, 600),
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: identifier,
  TEMPORAL_TASK_QUEUE: identifier,
  TEMPORAL_TLS: flag,
  TEMPORAL_TLS_CA_FILE: filePath,
  TEMPORAL_TLS_CERT_FILE: filePath,
  TEMPORAL_TLS_KEY_FILE: filePath,
  TEMPORAL_TLS_SERVER_NAME: text,
  TEMPORAL_API_KEY: text,
  TEMPORAL_UPDATE_TIMEOUT_SECONDS: wholeNumber(1, 300),
  WORKER_CACHE_MEMORY_MB: wholeNumber(16, 1_000_000),
  WORKER_MAX_CACHED_WORKFLOWS: wholeNumber(1, 100_000),
  // At most the worker's 40 workflow-task slots: a poll waits for a free slot.
  WORKER_WORKFLOW_POLLS: wholeNumber(2, 40),
  WORKER_NON_STICKY_POLL_RATIO: share,
  DATABASE_URL: postgresUrl,
  DATABASE_POOL_SIZE: wholeNumber(1, 200),
  AUTH_JWKS_URL: providerUrl,
  AUTH_JWT_ISSUER: text,
  AUTH_JWT_AUDIENCE: text,
  AUTH_OVERSIGHT_ORG: identifier,
  // The organisation directory (config/organisations.json by default): see README, Organisations.
  ORGANISATIONS_FILE: filePath,
  RATE_LIMIT_PER_MINUTE: wholeNumber(1, 100_000),
  // At most a day: a longer need is a referral or a transfer, not an emergency.
  EMERGENCY_ACCESS_MINUTES: wholeNumber(1, 1440),
  // Statistics safe to publish: counts below this are hidden. Below 3 a count can point at a person.
  STATISTICS_THRESHOLD: wholeNumber(3, 100),
  // How long a pathway waits on PostgreSQL (an audit write, a transfer being prepared) before it raises an incident.
  WAIT_DEADLINE_SECONDS: wholeNumber(5, 86_400),
  // Notifications: the address links in e-mails and webhooks point to, and how delivery paces itself.
  PUBLIC_URL: webUrl,
  NOTIFY_INTERVAL_MS: wholeNumber(100, 60_000),
  NOTIFY_RETRY_MAX_SECONDS: wholeNumber(1, 86_400),
  NOTIFY_GIVE_UP_SECONDS: wholeNumber(10, 604_800),
  // How long an emergency grant waits for its review before oversight is told.
  NOTIFY_REVIEW_DUE_SECONDS: wholeNumber(10, 604_800),
  NOTIFY_OPERATORS: z.string().regex(/^[^\s,@]+@[^\s,@]+(,[^\s,@]+@[^\s,@]+)*$/, 'must be comma-separated e-mail addresses'),
  PAYLOAD_KEYS: encryptionKeys,
  PAYLOAD_ACTIVE_KEY: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be the id of one of the PAYLOAD_KEYS'),
  OIDC_ISSUER: providerUrl,
  OIDC_CLIENT_ID: z.string().regex(/^[!-~]{1,255}$/, 'must be printable ASCII without spaces'),
  OIDC_SCOPE: z
    .string()
    .regex(/^[!#-[\]-~]+( [!#-[\]-~]+)*$/, 'must be space-separated scopes')
    .refine((v) => v.split(' ').includes('openid'), 'must include openid'),
  OIDC_RESOURCE: z
    .string()
    .refine((v) => v === 'none' || isResourceIndicator(v), 'must be an absolute URI without a fragment (https://pathways.example.org/api), or none'),
  CODEC_CORS_ORIGINS: z.string().regex(/^https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*$/, 'must be comma-separated origins such as https://temporal-ui.example.org'),
  TEMPORAL_UI_URL: webUrl,
  // Development only: refused when NODE_ENV=production.
  DATA_DIR: filePath,
  TEMPORAL_CLI_PATH: filePath,
  TEMPORAL_DEV_PORT: wholeNumber(0, 65535),
  TEMPORAL_UI_PORT: wholeNumber(0, 65535),
  CODEC_DEV_UI_WITHOUT_TOKEN: flag,
  POSTGRES_DEV_PORT: wholeNumber(0, 65535),
  PATHWAY_CLOCK_SCALE: clockScale,
  // A production-shaped rehearsal (`npm run cluster`, `npm run test:faults`): never on a real deployment.
  REHEARSAL: flag,
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  // E-mail notifications (README, E-mail): unset outside production, `npm start` catches them itself.
  SMTP_URL: smtpUrl,
  SMTP_FROM: mailbox,
  NOTIFY_EMAIL_PER_HOUR: wholeNumber(1, 10_000),
  NOTIFY_DIGEST_HOUR: wholeNumber(0, 23),
  // Tests and development: a digest every this many seconds instead of once a day.
  NOTIFY_DIGEST_INTERVAL_SECONDS: wholeNumber(1, 86_400),
} as const;

export type SettingName = keyof typeof settings;
/** Names of every variable the configuration reads. */
export const SETTING_NAMES = Object.keys(settings) as SettingName[];

export const DEVELOPMENT_ONLY: SettingName[] = [
  'DATA_DIR',
  'TEMPORAL_CLI_PATH',
  'TEMPORAL_DEV_PORT',
  'TEMPORAL_UI_PORT',
  'CODEC_DEV_UI_WITHOUT_TOKEN',
  'POSTGRES_DEV_PORT',
  'PATHWAY_CLOCK_SCALE',
  'AUTH_JWT_SECRET',
  'NOTIFY_DIGEST_INTERVAL_SECONDS',
];
export const REQUIRED_IN_PRODUCTION: SettingName[] = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'DATABASE_URL',
  'AUTH_JWKS_URL',
  'PAYLOAD_KEYS',
  'PAYLOAD_ACTIVE_KEY',
  'ORGANISATIONS_FILE',
  'SMTP_URL',
  'SMTP_FROM',
];
export const SECRET: SettingName[] = ['DATABASE_URL', 'TEMPORAL_API_KEY', 'AUTH_JWT_SECRET', 'PAYLOAD_KEYS', 'SMTP_URL'];

/** What each setting holds once parsed; unset settings are absent. */
export type Parsed = { [K in SettingName]?: z.output<(typeof settings)[K]> };

/** What a rehearsal may set in production: compressed template time, so pathways close in minutes. */
export const REHEARSAL_ALLOWS: SettingName[] = ['PATHWAY_CLOCK_SCALE'];
