import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedPathwaysFor, ConfigError, defaultWorkerCacheMemoryMiB, loadConfig, PROJECT_ROOT } from '../../config/index.js';
import { workflowPageUrl } from '../../src/temporal/ui.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('configuration was accepted');
}

const production = {
  NODE_ENV: 'production',
  TEMPORAL_ADDRESS: 'temporal.internal:7233',
  TEMPORAL_NAMESPACE: 'pathways-prod',
  DATABASE_URL: 'postgres://svc:secret@db.internal:5432/pathways',
  AUTH_JWKS_URL: 'https://id.example.org/.well-known/jwks.json',
  PAYLOAD_KEYS: '2026-11:dGVzdC1vbmx5LXBheWxvYWQta2V5LTMyLWJ5dGVzISE=,2026-05:c2Vjb25kLWtleS1mb3ItdGhlLXRlc3RzLW9ubHkhISE=',
  PAYLOAD_ACTIVE_KEY: '2026-11',
  ORGANISATIONS_FILE: 'config/organisations.json',
  SMTP_URL: 'smtp://pathways:mail-secret@mail.example.org:587',
  SMTP_FROM: 'Pathways <pathways@example.org>',
};

describe('configuration', () => {
  it('works with no settings at all in development, with embedded servers', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('development');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.temporal.address).toBeUndefined();
    expect(config.database.url).toBeUndefined();
    expect(config.temporal.namespace).toBe('pathways');
    expect(Object.isFrozen(config.temporal)).toBe(true);
  });

  it('reads the organisation directory, and refuses one that is missing, malformed or without the oversight organisation', () => {
    expect(loadConfig({}).organisations.map((o) => `${o.id}:${o.kind}`)).toEqual(['mlsp:ministry', 'akniet:ngo', 'pravo:legal-aid', 'clinic:clinic', 'oversight:oversight']);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pathways-directory-'));
    const file = (name: string, content: unknown) => {
      writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
      return path.join(dir, name);
    };
    const entry = (id: string, kind = 'ngo') => ({ id, kind, names: { en: id }, programmes: ['KZ'] });
    expect(problemsOf({ ORGANISATIONS_FILE: path.join(dir, 'none.json') })).toEqual([`ORGANISATIONS_FILE: ${path.join(dir, 'none.json')} cannot be read (no such file)`]);
    expect(problemsOf({ ORGANISATIONS_FILE: file('twice.json', { organisations: [entry('a'), entry('a'), entry('oversight', 'oversight')] }) })).toEqual([
      `ORGANISATIONS_FILE: ${path.join(dir, 'twice.json')}: organisations.1.id: a is listed twice`,
    ]);
    expect(problemsOf({ ORGANISATIONS_FILE: file('kinds.json', { organisations: [{ ...entry('a'), kind: 'club', names: {} }] }) })).toEqual([
      `ORGANISATIONS_FILE: ${path.join(dir, 'kinds.json')}: organisations.0.kind: Invalid option: expected one of "ministry"|"ngo"|"clinic"|"legal-aid"|"oversight"`,
      `ORGANISATIONS_FILE: ${path.join(dir, 'kinds.json')}: organisations.0.names.en: Invalid input: expected string, received undefined`,
    ]);
    expect(problemsOf({ ORGANISATIONS_FILE: file('no-oversight.json', { organisations: [entry('a')] }) })).toEqual([
      'AUTH_OVERSIGHT_ORG: oversight is not in the organisation directory (ORGANISATIONS_FILE)',
    ]);
    expect(problemsOf({ ORGANISATIONS_FILE: file('ngo-oversight.json', { organisations: [entry('oversight')] }) })).toEqual([
      'AUTH_OVERSIGHT_ORG: oversight is of kind ngo in the organisation directory; it must be of kind oversight',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("sizes the worker's cache of pathways from the memory it may use, unless a count is given", () => {
    // By default a quarter of the memory the process may use, at most 2 GiB: 4,096 pathways on a machine of 8 GiB or more.
    const byDefault = loadConfig({}).temporal.maxCachedWorkflows;
    expect(byDefault).toBe(cachedPathwaysFor(defaultWorkerCacheMemoryMiB()));
    expect(byDefault).toBeGreaterThanOrEqual(128);
    expect(byDefault).toBeLessThanOrEqual(4096);
    expect(loadConfig({ WORKER_CACHE_MEMORY_MB: '512' }).temporal.maxCachedWorkflows).toBe(1024);
    expect(loadConfig({ WORKER_CACHE_MEMORY_MB: '512', WORKER_MAX_CACHED_WORKFLOWS: '50' }).temporal.maxCachedWorkflows).toBe(50);
    expect(problemsOf({ WORKER_CACHE_MEMORY_MB: '1' })).toEqual(['WORKER_CACHE_MEMORY_MB: must be a whole number from 16 to 1000000 (got "1")']);
  });

  it("sets the worker's workflow-task polls and the share of them for pathways it does not hold", () => {
    expect(loadConfig({}).temporal).toMatchObject({ workflowPolls: 10, nonStickyPollRatio: 0.2 });
    expect(loadConfig({ WORKER_WORKFLOW_POLLS: '20', WORKER_NON_STICKY_POLL_RATIO: '.5' }).temporal).toMatchObject({ workflowPolls: 20, nonStickyPollRatio: 0.5 });
    expect(loadConfig({ WORKER_NON_STICKY_POLL_RATIO: '0.90' }).temporal.nonStickyPollRatio).toBe(0.9);
    expect(problemsOf({ WORKER_WORKFLOW_POLLS: '41', WORKER_NON_STICKY_POLL_RATIO: '1' })).toEqual([
      'WORKER_WORKFLOW_POLLS: must be a whole number from 2 to 40 (got "41")',
      'WORKER_NON_STICKY_POLL_RATIO: must be a number from 0.1 to 0.9 (got "1")',
    ]);
    for (const bad of ['0.05', '1/2', '0.5.1', '-0.5']) {
      expect(problemsOf({ WORKER_NON_STICKY_POLL_RATIO: bad })).toEqual([`WORKER_NON_STICKY_POLL_RATIO: must be a number from 0.1 to 0.9 (got "${bad}")`]);
    }
  });

  it('hides counts below 5 in statistics by default, a threshold from 3 to 100', () => {
    expect(loadConfig({}).statistics.threshold).toBe(5);
    expect(loadConfig({ STATISTICS_THRESHOLD: '10' }).statistics.threshold).toBe(10);
    expect(problemsOf({ STATISTICS_THRESHOLD: '2' })).toEqual(['STATISTICS_THRESHOLD: must be a whole number from 3 to 100 (got "2")']);
    expect(problemsOf({ STATISTICS_THRESHOLD: 'five' })).toEqual(['STATISTICS_THRESHOLD: must be a whole number from 3 to 100 (got "five")']);
  });

  it('lets emergency access last three hours by default, from a minute to a day', () => {
    expect(loadConfig({}).emergencyAccess.minutes).toBe(180);
    expect(loadConfig({ EMERGENCY_ACCESS_MINUTES: '30' }).emergencyAccess.minutes).toBe(30);
    expect(problemsOf({ EMERGENCY_ACCESS_MINUTES: '0' })).toEqual(['EMERGENCY_ACCESS_MINUTES: must be a whole number from 1 to 1440 (got "0")']);
    expect(problemsOf({ EMERGENCY_ACCESS_MINUTES: '1441' })).toEqual(['EMERGENCY_ACCESS_MINUTES: must be a whole number from 1 to 1440 (got "1441")']);
  });

  it('names each bad variable, what was wrong and what is allowed, one line each', () => {
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud', TEMPORAL_ADDRESS: 'no-port-here', TEMPORAL_TLS: 'yes' });
    expect(problems).toEqual([
      'PORT: must be a whole number from 0 to 65535 (got "abc")',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'TEMPORAL_ADDRESS: must be host:port, for example temporal.internal:7233 (got "no-port-here")',
      'TEMPORAL_TLS: must be true or false (got "yes")',
    ]);
  });

  it('never echoes a secret value in its messages', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(problems).toEqual(['DATABASE_URL: must be a postgres:// or postgresql:// URL (value hidden)']);
  });

  it('refuses to start in production without explicit addresses', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'TEMPORAL_ADDRESS: must be set when NODE_ENV=production',
      'TEMPORAL_NAMESPACE: must be set when NODE_ENV=production',
      'DATABASE_URL: must be set when NODE_ENV=production',
      'AUTH_JWKS_URL: must be set when NODE_ENV=production',
      'PAYLOAD_KEYS: must be set when NODE_ENV=production',
      'PAYLOAD_ACTIVE_KEY: must be set when NODE_ENV=production',
      // Production names its own organisations: it never falls back on the development directory.
      'ORGANISATIONS_FILE: must be set when NODE_ENV=production',
      // E-mail is how people are told: production has an SMTP server, development catches mail itself.
      'SMTP_URL: must be set when NODE_ENV=production',
      'SMTP_FROM: must be set when NODE_ENV=production',
    ]);
  });

  it('sends e-mail through SMTP_URL (STARTTLS or TLS), never echoing its password, at most NOTIFY_EMAIL_PER_HOUR a person, digests at NOTIFY_DIGEST_HOUR', () => {
    expect(loadConfig({}).email).toEqual({ smtpUrl: undefined, from: 'Pathways <pathways@localhost>', perHour: 20, digestHour: 7, digestIntervalMs: undefined });
    expect(loadConfig(production).email).toMatchObject({ smtpUrl: production.SMTP_URL, from: production.SMTP_FROM });
    expect(loadConfig({ SMTP_URL: 'smtps://mail.example.org', NOTIFY_EMAIL_PER_HOUR: '5', NOTIFY_DIGEST_HOUR: '18', NOTIFY_DIGEST_INTERVAL_SECONDS: '10' }).email).toMatchObject({
      smtpUrl: 'smtps://mail.example.org', perHour: 5, digestHour: 18, digestIntervalMs: 10_000,
    });
    expect(problemsOf({ SMTP_URL: 'http://user:hunter2@mail.example.org' })).toEqual(['SMTP_URL: must be an smtp:// or smtps:// URL, for example smtp://user:password@mail.example.org:587 (value hidden)']);
    expect(problemsOf({ SMTP_URL: 'smtp://user@mail.example.org' })).toEqual(['SMTP_URL: a user name needs its password too (smtp://user:password@host:587)']);
    expect(problemsOf({ SMTP_FROM: 'nobody', NOTIFY_DIGEST_HOUR: '24', NOTIFY_EMAIL_PER_HOUR: '0' })).toEqual([
      'SMTP_FROM: must be an e-mail address, for example "Pathways <pathways@example.org>" (got "nobody")',
      'NOTIFY_EMAIL_PER_HOUR: must be a whole number from 1 to 10000 (got "0")',
      'NOTIFY_DIGEST_HOUR: must be a whole number from 0 to 23 (got "24")',
    ]);
    expect(problemsOf({ ...production, NOTIFY_DIGEST_INTERVAL_SECONDS: '10' })).toEqual(['NOTIFY_DIGEST_INTERVAL_SECONDS: development-only setting, not allowed when NODE_ENV=production']);
  });

  it('refuses payload keys that are not 32 bytes and an active key that is not among them, without echoing keys', () => {
    expect(problemsOf({ PAYLOAD_KEYS: 'k1:c2hvcnQ=', PAYLOAD_ACTIVE_KEY: 'k1' })).toEqual([
      'PAYLOAD_KEYS: must be comma-separated id:key pairs, each key 32 random bytes in base64 (openssl rand -base64 32) (value hidden)',
    ]);
    expect(problemsOf({ PAYLOAD_KEYS: production.PAYLOAD_KEYS, PAYLOAD_ACTIVE_KEY: '2025-01' })).toEqual(['PAYLOAD_ACTIVE_KEY: must be one of 2026-11, 2026-05']);
  });

  it('refuses development-only settings in production', () => {
    expect(problemsOf({ ...production, DATA_DIR: '/tmp/x', PATHWAY_CLOCK_SCALE: '86400', AUTH_JWT_SECRET: 's'.repeat(40) })).toEqual([
      'DATA_DIR: development-only setting, not allowed when NODE_ENV=production',
      'PATHWAY_CLOCK_SCALE: development-only setting, not allowed when NODE_ENV=production',
      'AUTH_JWT_SECRET: development-only setting, not allowed when NODE_ENV=production',
      'AUTH_JWT_SECRET: tokens are verified against AUTH_JWKS_URL; unset one of them',
    ]);
  });

  it('lets a rehearsal (REHEARSAL=true) compress template time in production, and nothing else', () => {
    const config = loadConfig({ ...production, REHEARSAL: 'true', PATHWAY_CLOCK_SCALE: '86400' });
    expect(config).toMatchObject({ mode: 'production', rehearsal: true, clockScale: 86400 });
    expect(loadConfig(production)).toMatchObject({ rehearsal: false, clockScale: 1 });
    expect(problemsOf({ ...production, REHEARSAL: 'true', DATA_DIR: '/tmp/x' })).toEqual([
      'DATA_DIR: development-only setting, not allowed when NODE_ENV=production',
    ]);
  });

  it('accepts a production configuration with TLS and an API key for Temporal Cloud', () => {
    const config = loadConfig({ ...production, TEMPORAL_API_KEY: 'key', LOG_FORMAT: 'json' });
    expect(config.mode).toBe('production');
    expect(config.temporal.tls).toEqual({ caFile: undefined, certFile: undefined, keyFile: undefined, serverName: undefined });
    expect(config.temporal.apiKey).toBe('key');
  });

  it("gives the embedded Temporal UI the CLI's port, 8233, and links to a pathway's workflow there", () => {
    const development = loadConfig({});
    expect(development.temporal.dev.uiPort).toBe(8233);
    expect(development.temporal.uiUrl).toBe('http://127.0.0.1:8233');
    expect(workflowPageUrl(development, '0b0e4d2c-5a7f-4f39-9c39-3f1f2b8a9e01')).toBe(
      'http://127.0.0.1:8233/namespaces/pathways/workflows/pathway-0b0e4d2c-5a7f-4f39-9c39-3f1f2b8a9e01',
    );
    // A free port is known once the UI runs (npm start passes it on); an external Temporal has no embedded UI.
    expect(loadConfig({ TEMPORAL_UI_PORT: '0' }).temporal.uiUrl).toBeUndefined();
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233' }).temporal.uiUrl).toBeUndefined();
    expect(workflowPageUrl(loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233' }), 'x')).toBeUndefined();
  });

  it('takes the Temporal UI address from TEMPORAL_UI_URL in production', () => {
    const config = loadConfig({ ...production, TEMPORAL_UI_URL: 'https://temporal.example.org/' });
    expect(config.temporal.uiUrl).toBe('https://temporal.example.org');
    expect(workflowPageUrl(config, 'p-1')).toBe('https://temporal.example.org/namespaces/pathways-prod/workflows/pathway-p-1');
    expect(loadConfig(production).temporal.uiUrl).toBeUndefined();
    expect(problemsOf({ TEMPORAL_UI_URL: 'temporal.example.org' })).toEqual(['TEMPORAL_UI_URL: must be an http:// or https:// URL (got "temporal.example.org")']);
  });

  it('lets the local Temporal UI decode without a token in development only, and refuses the setting in production', () => {
    expect(loadConfig({}).payload.codecDevUiWithoutToken).toBe(true);
    expect(loadConfig({ CODEC_DEV_UI_WITHOUT_TOKEN: 'false' }).payload.codecDevUiWithoutToken).toBe(false);
    expect(loadConfig(production).payload.codecDevUiWithoutToken).toBe(false);
    for (const value of ['true', 'false']) {
      expect(problemsOf({ ...production, CODEC_DEV_UI_WITHOUT_TOKEN: value })).toEqual([
        'CODEC_DEV_UI_WITHOUT_TOKEN: development-only setting, not allowed when NODE_ENV=production',
      ]);
    }
  });

  it("gives the console its OpenID provider, asking for the API's audience as the resource when that is a URI", () => {
    const signIn = { OIDC_ISSUER: 'https://id.example.org', OIDC_CLIENT_ID: 'pathways-console' };
    expect(loadConfig(production).console.oidc).toBeUndefined();
    expect(loadConfig({ ...production, ...signIn, AUTH_JWT_AUDIENCE: 'https://pathways.example.org/api' }).console.oidc).toEqual({
      issuer: 'https://id.example.org',
      clientId: 'pathways-console',
      scope: 'openid',
      resource: 'https://pathways.example.org/api',
    });
    expect(loadConfig({ ...production, ...signIn, AUTH_JWT_AUDIENCE: 'pathways' }).console.oidc?.resource).toBeUndefined();
    const chosen = { ...production, ...signIn, AUTH_JWT_AUDIENCE: 'api://pathways', OIDC_SCOPE: 'openid api://pathways/use' };
    expect(loadConfig({ ...chosen, OIDC_RESOURCE: 'urn:pathways:api' }).console.oidc).toMatchObject({ scope: 'openid api://pathways/use', resource: 'urn:pathways:api' });
    expect(loadConfig({ ...chosen, OIDC_RESOURCE: 'none' }).console.oidc?.resource).toBeUndefined();
  });

  it('refuses a sign-in half configured, without openid, or without the keys to verify its tokens', () => {
    expect(problemsOf({ ...production, OIDC_ISSUER: 'https://id.example.org' })).toEqual([
      'OIDC_CLIENT_ID: must be set together with OIDC_ISSUER (the console signs in with both)',
    ]);
    expect(problemsOf({ ...production, OIDC_SCOPE: 'openid' })).toEqual(['OIDC_SCOPE: only applies with OIDC_ISSUER and OIDC_CLIENT_ID']);
    expect(problemsOf({ OIDC_ISSUER: 'https://id.example.org', OIDC_CLIENT_ID: 'c', OIDC_SCOPE: 'profile email', OIDC_RESOURCE: 'https://x/#y' })).toEqual([
      'OIDC_SCOPE: must include openid (got "profile email")',
      'OIDC_RESOURCE: must be an absolute URI without a fragment (https://pathways.example.org/api), or none (got "https://x/#y")',
    ]);
    expect(problemsOf({ OIDC_ISSUER: 'https://id.example.org', OIDC_CLIENT_ID: 'c' })).toEqual([
      "OIDC_ISSUER: the API verifies the provider's tokens against AUTH_JWKS_URL; set it too",
    ]);
  });

  it('talks to identity providers over https, with http on loopback outside production only', () => {
    const loopback = { AUTH_JWKS_URL: 'http://127.0.0.1:4000/jwks', OIDC_ISSUER: 'http://localhost:4000', OIDC_CLIENT_ID: 'c' };
    expect(loadConfig(loopback).auth.jwksUrl).toBe('http://127.0.0.1:4000/jwks');
    expect(problemsOf({ ...production, ...loopback })).toEqual([
      'AUTH_JWKS_URL: must be an https:// URL when NODE_ENV=production',
      'OIDC_ISSUER: must be an https:// URL when NODE_ENV=production',
    ]);
    expect(problemsOf({ AUTH_JWKS_URL: 'http://id.example.org/jwks' })).toEqual([
      'AUTH_JWKS_URL: must be an https:// URL (http:// only on 127.0.0.1 or localhost) (got "http://id.example.org/jwks")',
    ]);
  });

  it('refuses mutual TLS with a certificate but no key', () => {
    expect(problemsOf({ TEMPORAL_TLS_CERT_FILE: '/etc/tls/client.pem' })).toEqual([
      'TEMPORAL_TLS_CERT_FILE: must be set together with TEMPORAL_TLS_KEY_FILE (mutual TLS needs both)',
    ]);
  });

  it('stops the process at start-up with those lines', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'api'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, PORT: '99999', NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration:');
    expect(result.stderr).toContain('  - PORT: must be a whole number from 0 to 65535 (got "99999")');
    expect(result.stderr).toContain('  - DATABASE_URL: must be set when NODE_ENV=production');
  });
});
