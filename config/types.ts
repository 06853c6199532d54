// The shape of the validated configuration that loadConfig returns.
import type { OrganisationEntry } from './directory.js';

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
  /** The organisation directory: tokens, referrals, transfers and assignments name these only. */
  organisations: readonly OrganisationEntry[];
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
  /** E-mail notifications (src/notify/email). */
  email: {
    /** smtp:// (STARTTLS required off loopback) or smtps://; unset outside production: `npm start` catches mail itself. */
    smtpUrl?: string;
    from: string;
    /** Single e-mails a person gets in an hour at most; the rest wait for their digest. */
    perHour: number;
    /** The hour (UTC) daily digests go. */
    digestHour: number;
    /** Tests and development: a digest this often instead of daily. */
    digestIntervalMs?: number;
  };
  /** How long a pathway waits on PostgreSQL before it raises an incident (new pathways carry it in their input). */
  waitDeadlineMs: number;
  statistics: {
    /** Counts from 1 to threshold - 1 are hidden in statistics safe to publish. */
    threshold: number;
  };
  emergencyAccess: {
    /** How long emergency access to another organisation's pathway lasts once granted. */
    minutes: number;
  };
  /** Where the console is reached, for links in e-mails and webhooks; unset: the API's own address. */
  publicUrl?: string;
  notify: {
    /** How often delivery looks for new notifications and due retries. */
    intervalMs: number;
    /** The longest wait between two tries of one delivery (the wait doubles from 5 s). */
    retryMaxSeconds: number;
    /** A delivery failing this long is given up (a webhook that does is paused). */
    giveUpSeconds: number;
    /** How long an emergency grant waits for its review before oversight is told. */
    reviewDueSeconds: number;
    /** E-mail addresses told of incidents. */
    operators: string[];
  };
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
