import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The nearest folder holding package.json: the same from the sources and from the compiled `dist/`. */
function projectRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(here, '..');
  }
}

/** The project's root folder, where `.data/` and `.tools/` live by default. */
export const PROJECT_ROOT = projectRoot();

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
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const isLoopbackHttp = (v: string) => URL.canParse(v) && new URL(v).protocol === 'http:' && LOOPBACK.has(new URL(v).hostname);
/**
 * An identity provider's address: https, or http on this machine's loopback outside production
 * (refused there by productionProblems). Tests and development run a provider in-process on
 * 127.0.0.1; with https it would need a test CA in NODE_EXTRA_CA_CERTS, which Node reads only as
 * it starts. Plain http never leaves the machine.
 */
const providerUrl = z
  .string()
  .refine((v) => (URL.canParse(v) && new URL(v).protocol === 'https:') || isLoopbackHttp(v), 'must be an https:// URL (http:// only on 127.0.0.1 or localhost)');
/** An RFC 8707 resource indicator: an absolute URI without a fragment. */
const isResourceIndicator = (v: string) => URL.canParse(v) && !v.includes('#');
const webUrl = z.string().refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http:// or https:// URL');
const encryptionKeys = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/,
    'must be comma-separated id:key pairs, each key 32 random bytes in base64 (openssl rand -base64 32)',
  );
const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'must be letters, digits, dot, dash or underscore');
const filePath = z.string().min(1, 'must be a file path');
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

/**
 * Memory a worker gives its cache of pathways by default: a quarter of what the process may use
 * (its container's limit, else the machine's), from 64 MiB to 2 GiB. The cache holds as many
 * pathways as fit at CACHED_PATHWAY_MIB each (npm run bench measures 0.3 to 0.4 MiB); a pathway
 * that is not cached is replayed from its history when it next runs, which costs far more.
 */
export function defaultWorkerCacheMemoryMiB(): number {
  // Without a limit the constraint reads as a huge number: the machine's memory bounds it.
  const available = Math.min(process.constrainedMemory?.() || Infinity, os.totalmem());
  return Math.max(64, Math.min(2048, Math.floor(available / 4 / 1024 / 1024)));
}
export const CACHED_PATHWAY_MIB = 0.5;
export const cachedPathwaysFor = (memoryMiB: number) => Math.max(1, Math.floor(memoryMiB / CACHED_PATHWAY_MIB));
/** The memory a worker needs (README, Configuration): about 300 MiB of its own plus its cache's. */
export const workerMemoryBudgetMiB = (cachedPathways: number) => 300 + cachedPathways * CACHED_PATHWAY_MIB;

/** Every environment variable the service reads, with what it accepts. */
const settings = {
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
  RATE_LIMIT_PER_MINUTE: wholeNumber(1, 100_000),
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
} as const;

export type SettingName = keyof typeof settings;
/** Names of every variable the configuration reads. */
export const SETTING_NAMES = Object.keys(settings) as SettingName[];

const DEVELOPMENT_ONLY: SettingName[] = [
  'DATA_DIR',
  'TEMPORAL_CLI_PATH',
  'TEMPORAL_DEV_PORT',
  'TEMPORAL_UI_PORT',
  'CODEC_DEV_UI_WITHOUT_TOKEN',
  'POSTGRES_DEV_PORT',
  'PATHWAY_CLOCK_SCALE',
  'AUTH_JWT_SECRET',
];
const REQUIRED_IN_PRODUCTION: SettingName[] = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'DATABASE_URL',
  'AUTH_JWKS_URL',
  'PAYLOAD_KEYS',
  'PAYLOAD_ACTIVE_KEY',
];
const SECRET: SettingName[] = ['DATABASE_URL', 'TEMPORAL_API_KEY', 'AUTH_JWT_SECRET', 'PAYLOAD_KEYS'];

type Parsed = { [K in SettingName]?: z.output<(typeof settings)[K]> };

export interface TemporalTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
}

/** The validated, frozen configuration of one process. */
export interface Config {
  mode: 'development' | 'production';
  /** A production-shaped rehearsal: production rules, but template time may be compressed. */
  rehearsal: boolean;
  http: { host: string; port: number };
  log: { level: string; format: 'json' | 'pretty' };
  shutdownTimeoutMs: number;
  /** Where embedded servers and development secrets keep their files (development only). */
  dataDir: string;
  temporal: {
    /** Unset in development: the service starts its own dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    tls?: TemporalTls;
    apiKey?: string;
    updateTimeoutMs: number;
    /** Pathways a worker keeps in memory between their tasks; others are replayed from history when they next run. */
    maxCachedWorkflows: number;
    /** Workflow-task polls a worker keeps open, and the share of them for pathways it does not hold (new ones first of all). */
    workflowPolls: number;
    nonStickyPollRatio: number;
    dev: { cliPath?: string; port: number; uiPort: number };
    /** The Temporal Web UI's base URL, for links to a pathway's workflow (src/temporal/ui.ts); unset when none is known. */
    uiUrl?: string;
  };
  database: {
    /** Unset in development: the service starts its own PostgreSQL. */
    url?: string;
    poolSize: number;
    devPort: number;
  };
  /** How many template seconds pass in one real second (development and rehearsals only). */
  clockScale: number;
  auth: {
    /** Production: the identity provider's keys. */
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    /** Development only; when unset one is generated under the data folder. */
    devSecret?: string;
    /** Supervisors of this organisation see every pathway. */
    oversightOrg: string;
  };
  console: {
    /**
     * The identity provider the web console signs in with (authorization code with PKCE, a public
     * client); served to the browser. Unset: no sign-in through a provider.
     */
    oidc?: {
      issuer: string;
      clientId: string;
      scope: string;
      /** Asked for so the access token is a JWT for the API (RFC 8707); unset: the provider's default. */
      resource?: string;
    };
  };
  /** Requests per minute and token. */
  rateLimitPerMinute: number;
  payload: {
    /** Key id to 32-byte key; unset in development until one is generated under the data folder. */
    keys?: Readonly<Record<string, string>>;
    activeKey?: string;
    /** Browser origins (the Temporal Web UI) allowed to call the codec endpoint. */
    codecCorsOrigins: string[];
    /** Development: the local Temporal UI (TEMPORAL_UI_URL or the embedded one, on loopback) decodes without a token. */
    codecDevUiWithoutToken: boolean;
  };
}

/** Start-up stops on this, with one line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeValue(name: SettingName, raw: string): string {
  return SECRET.includes(name) ? '(value hidden)' : `(got ${JSON.stringify(raw)})`;
}

function parseSettings(env: NodeJS.ProcessEnv): { values: Parsed; present: Set<SettingName>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const present = new Set<SettingName>();
  const problems: string[] = [];
  for (const name of SETTING_NAMES) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    present.add(name);
    const result = settings[name].safeParse(raw);
    if (result.success) values[name] = result.data;
    else problems.push(`${name}: ${result.error.issues[0]?.message ?? 'invalid'} ${describeValue(name, raw)}`);
  }
  return { values: values as Parsed, present, problems };
}

/** What a rehearsal may set in production: compressed template time, so pathways close in minutes. */
const REHEARSAL_ALLOWS: SettingName[] = ['PATHWAY_CLOCK_SCALE'];

function productionProblems(present: Set<SettingName>, rehearsal: boolean): string[] {
  const problems: string[] = [];
  for (const name of REQUIRED_IN_PRODUCTION) {
    if (!present.has(name)) problems.push(`${name}: must be set when NODE_ENV=production`);
  }
  for (const name of DEVELOPMENT_ONLY) {
    if (!present.has(name) || (rehearsal && REHEARSAL_ALLOWS.includes(name))) continue;
    problems.push(`${name}: development-only setting, not allowed when NODE_ENV=production`);
  }
  return problems;
}

/** Production talks to identity providers over https only, loopback included. */
function plainHttpProblems(values: Parsed): string[] {
  return (['AUTH_JWKS_URL', 'OIDC_ISSUER'] as const)
    .filter((name) => values[name]?.startsWith('http:'))
    .map((name) => `${name}: must be an https:// URL when NODE_ENV=production`);
}

/** The API's audience doubles as its resource indicator when it is a URI; `none` sends none (providers that refuse the parameter). */
function signInResource(values: Parsed): string | undefined {
  if (values.OIDC_RESOURCE === 'none') return undefined;
  return values.OIDC_RESOURCE ?? (values.AUTH_JWT_AUDIENCE && isResourceIndicator(values.AUTH_JWT_AUDIENCE) ? values.AUTH_JWT_AUDIENCE : undefined);
}

function signInProblems(values: Parsed): string[] {
  const problems: string[] = [];
  if (Boolean(values.OIDC_ISSUER) !== Boolean(values.OIDC_CLIENT_ID)) {
    problems.push('OIDC_CLIENT_ID: must be set together with OIDC_ISSUER (the console signs in with both)');
  } else if (!values.OIDC_ISSUER && (values.OIDC_SCOPE || values.OIDC_RESOURCE)) {
    problems.push(`${values.OIDC_SCOPE ? 'OIDC_SCOPE' : 'OIDC_RESOURCE'}: only applies with OIDC_ISSUER and OIDC_CLIENT_ID`);
  }
  if (values.OIDC_ISSUER && !values.AUTH_JWKS_URL) {
    problems.push("OIDC_ISSUER: the API verifies the provider's tokens against AUTH_JWKS_URL; set it too");
  }
  return problems;
}

function consistencyProblems(values: Parsed): string[] {
  const problems: string[] = [...signInProblems(values)];
  if (values.TEMPORAL_TLS === false && (values.TEMPORAL_TLS_CERT_FILE || values.TEMPORAL_API_KEY)) {
    problems.push('TEMPORAL_TLS: must not be false when TEMPORAL_TLS_CERT_FILE or TEMPORAL_API_KEY is set');
  }
  if (Boolean(values.TEMPORAL_TLS_CERT_FILE) !== Boolean(values.TEMPORAL_TLS_KEY_FILE)) {
    problems.push('TEMPORAL_TLS_CERT_FILE: must be set together with TEMPORAL_TLS_KEY_FILE (mutual TLS needs both)');
  }
  if (values.TEMPORAL_ADDRESS && (values.TEMPORAL_DEV_PORT !== undefined || values.TEMPORAL_UI_PORT !== undefined)) {
    problems.push('TEMPORAL_DEV_PORT: only applies to the embedded Temporal; unset it or unset TEMPORAL_ADDRESS');
  }
  if (Boolean(values.PAYLOAD_KEYS) !== Boolean(values.PAYLOAD_ACTIVE_KEY)) {
    problems.push('PAYLOAD_ACTIVE_KEY: must be set together with PAYLOAD_KEYS (the key that encrypts new payloads)');
  } else if (values.PAYLOAD_KEYS && values.PAYLOAD_ACTIVE_KEY) {
    const ids = values.PAYLOAD_KEYS.split(',').map((pair) => pair.split(':')[0]!);
    if (!ids.includes(values.PAYLOAD_ACTIVE_KEY)) problems.push(`PAYLOAD_ACTIVE_KEY: must be one of ${ids.join(', ')}`);
    if (new Set(ids).size !== ids.length) problems.push('PAYLOAD_KEYS: each key id may appear once');
  }
  if (values.AUTH_JWKS_URL && values.AUTH_JWT_SECRET) {
    problems.push('AUTH_JWT_SECRET: tokens are verified against AUTH_JWKS_URL; unset one of them');
  }
  if (values.DATABASE_URL && values.POSTGRES_DEV_PORT !== undefined) {
    problems.push('POSTGRES_DEV_PORT: only applies to the embedded PostgreSQL; unset it or unset DATABASE_URL');
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Reads and validates the environment once; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { values, present, problems } = parseSettings(env);
  const production = values.NODE_ENV === 'production';
  // Rules between settings only make sense once each setting is valid on its own.
  const consistency = problems.length ? [] : consistencyProblems(values);
  problems.push(...(production ? [...productionProblems(present, values.REHEARSAL === true), ...plainHttpProblems(values)] : []), ...consistency);
  if (problems.length > 0) throw new ConfigError(problems);

  const tlsWanted =
    values.TEMPORAL_TLS ?? Boolean(values.TEMPORAL_API_KEY || values.TEMPORAL_TLS_CERT_FILE || values.TEMPORAL_TLS_CA_FILE);
  const mode = production ? 'production' : 'development';
  // The Temporal CLI's own default, so the embedded UI keeps its address; 0 takes a free port.
  const uiPort = values.TEMPORAL_UI_PORT ?? 8233;
  return deepFreeze<Config>({
    mode,
    rehearsal: values.REHEARSAL ?? false,
    http: { host: values.HOST ?? '127.0.0.1', port: values.PORT ?? 3000 },
    log: {
      level: values.LOG_LEVEL ?? 'info',
      format: values.LOG_FORMAT ?? (mode === 'development' && process.stdout.isTTY ? 'pretty' : 'json'),
    },
    shutdownTimeoutMs: (values.SHUTDOWN_TIMEOUT_SECONDS ?? 30) * 1000,
    dataDir: path.resolve(PROJECT_ROOT, values.DATA_DIR ?? '.data'),
    temporal: {
      address: values.TEMPORAL_ADDRESS,
      namespace: values.TEMPORAL_NAMESPACE ?? 'pathways',
      taskQueue: values.TEMPORAL_TASK_QUEUE ?? 'pathways',
      tls: tlsWanted
        ? {
            caFile: values.TEMPORAL_TLS_CA_FILE,
            certFile: values.TEMPORAL_TLS_CERT_FILE,
            keyFile: values.TEMPORAL_TLS_KEY_FILE,
            serverName: values.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      apiKey: values.TEMPORAL_API_KEY,
      updateTimeoutMs: (values.TEMPORAL_UPDATE_TIMEOUT_SECONDS ?? 10) * 1000,
      // An explicit count wins over the memory it would be derived from.
      maxCachedWorkflows: values.WORKER_MAX_CACHED_WORKFLOWS ?? cachedPathwaysFor(values.WORKER_CACHE_MEMORY_MB ?? defaultWorkerCacheMemoryMiB()),
      workflowPolls: values.WORKER_WORKFLOW_POLLS ?? 10,
      nonStickyPollRatio: values.WORKER_NON_STICKY_POLL_RATIO ?? 0.2,
      dev: {
        cliPath: values.TEMPORAL_CLI_PATH && path.resolve(values.TEMPORAL_CLI_PATH),
        port: values.TEMPORAL_DEV_PORT ?? 0,
        uiPort,
      },
      uiUrl: values.TEMPORAL_UI_URL?.replace(/\/+$/, '') ?? (!production && !values.TEMPORAL_ADDRESS && uiPort ? `http://127.0.0.1:${uiPort}` : undefined),
    },
    database: {
      url: values.DATABASE_URL,
      poolSize: values.DATABASE_POOL_SIZE ?? 10,
      devPort: values.POSTGRES_DEV_PORT ?? 0,
    },
    clockScale: values.PATHWAY_CLOCK_SCALE ?? 1,
    auth: {
      jwksUrl: values.AUTH_JWKS_URL,
      issuer: values.AUTH_JWT_ISSUER,
      audience: values.AUTH_JWT_AUDIENCE,
      devSecret: values.AUTH_JWT_SECRET,
      oversightOrg: values.AUTH_OVERSIGHT_ORG ?? 'oversight',
    },
    console: {
      oidc:
        values.OIDC_ISSUER && values.OIDC_CLIENT_ID
          ? {
              issuer: values.OIDC_ISSUER,
              clientId: values.OIDC_CLIENT_ID,
              scope: values.OIDC_SCOPE ?? 'openid',
              resource: signInResource(values),
            }
          : undefined,
    },
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE ?? 600,
    payload: {
      keys: values.PAYLOAD_KEYS
        ? Object.fromEntries(values.PAYLOAD_KEYS.split(',').map((pair) => pair.split(':') as [string, string]))
        : undefined,
      activeKey: values.PAYLOAD_ACTIVE_KEY,
      codecCorsOrigins: values.CODEC_CORS_ORIGINS?.split(',') ?? [],
      codecDevUiWithoutToken: values.CODEC_DEV_UI_WITHOUT_TOKEN ?? !production,
    },
  });
}
