// The configuration's entry point: reads the environment once into a validated, frozen Config.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_WAIT_DEADLINE_MS } from '../src/domain/projection.js';
import { DEFAULT_THRESHOLD } from '../src/reports/disclosure.js';
import { readDirectory, type OrganisationEntry } from './directory.js';
import { consistencyProblems, plainHttpProblems, productionProblems, signInResource } from './rules.js';
import { SECRET, SETTING_NAMES, settings, type Parsed, type SettingName } from './settings.js';
import type { Config } from './types.js';

export { SETTING_NAMES, type SettingName } from './settings.js';
export type { Config, TemporalTls } from './types.js';
export type { OrganisationEntry, OrganisationKind } from './directory.js';

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

/** The development directory beside this file (copied beside the compiled one by `npm run build`). */
const DEVELOPMENT_DIRECTORY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'organisations.json');

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

/** The oversight organisation is one of the directory's, of the oversight kind. */
function oversightProblems(organisations: readonly OrganisationEntry[] | undefined, oversight: string): string[] {
  if (!organisations) return [];
  const entry = organisations.find((o) => o.id === oversight);
  if (!entry) return [`AUTH_OVERSIGHT_ORG: ${oversight} is not in the organisation directory (ORGANISATIONS_FILE)`];
  return entry.kind === 'oversight' ? [] : [`AUTH_OVERSIGHT_ORG: ${oversight} is of kind ${entry.kind} in the organisation directory; it must be of kind oversight`];
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
  const directory = readDirectory(values.ORGANISATIONS_FILE ? path.resolve(PROJECT_ROOT, values.ORGANISATIONS_FILE) : DEVELOPMENT_DIRECTORY);
  problems.push(...directory.problems, ...oversightProblems(directory.organisations, values.AUTH_OVERSIGHT_ORG ?? 'oversight'));
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
    organisations: directory.organisations!,
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE ?? 600,
    email: {
      smtpUrl: values.SMTP_URL,
      from: values.SMTP_FROM ?? 'Pathways <pathways@localhost>',
      perHour: values.NOTIFY_EMAIL_PER_HOUR ?? 20,
      digestHour: values.NOTIFY_DIGEST_HOUR ?? 7,
      digestIntervalMs: values.NOTIFY_DIGEST_INTERVAL_SECONDS && values.NOTIFY_DIGEST_INTERVAL_SECONDS * 1000,
    },
    waitDeadlineMs: values.WAIT_DEADLINE_SECONDS ? values.WAIT_DEADLINE_SECONDS * 1000 : DEFAULT_WAIT_DEADLINE_MS,
    emergencyAccess: { minutes: values.EMERGENCY_ACCESS_MINUTES ?? 180 },
    statistics: { threshold: values.STATISTICS_THRESHOLD ?? DEFAULT_THRESHOLD },
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    notify: {
      intervalMs: values.NOTIFY_INTERVAL_MS ?? 5000,
      retryMaxSeconds: values.NOTIFY_RETRY_MAX_SECONDS ?? 900,
      giveUpSeconds: values.NOTIFY_GIVE_UP_SECONDS ?? 86_400,
      reviewDueSeconds: values.NOTIFY_REVIEW_DUE_SECONDS ?? 86_400,
      operators: values.NOTIFY_OPERATORS?.split(',') ?? [],
    },
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
