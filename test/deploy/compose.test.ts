import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, PROJECT_ROOT, SETTING_NAMES } from '../../config/index.js';
import {
  DYNAMIC_CONFIG,
  HISTORY_SHARDS,
  SCHEMA_SCRIPT,
  serviceCommand,
  serviceSettings,
  SQL_PLUGIN,
  TEMPORAL_SERVER_RELEASE,
  WORKERS,
} from '../../src/cluster/shape.js';
import { DEV_DYNAMIC_CONFIG } from '../../src/temporal/dev-server.js';
import { codecOrigins } from '../../src/temporal/ui.js';

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  deploy?: { replicas?: number };
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}

/** What an operator provides for the variables compose requires. */
const OPERATOR_VALUES: Record<string, string> = {
  PATHWAYS_ORGANISATIONS_FILE: path.join(PROJECT_ROOT, 'config', 'organisations.json'),
  AUTH_JWKS_URL: 'https://id.example.org/.well-known/jwks.json',
  AUTH_JWT_ISSUER: 'https://id.example.org',
  PAYLOAD_KEYS: 'k1:dGVzdC1vbmx5LXBheWxvYWQta2V5LTMyLWJ5dGVzISE=',
  PAYLOAD_ACTIVE_KEY: 'k1',
  SMTP_URL: 'smtp://pathways:secret@mail.example.org:587',
  SMTP_FROM: 'Pathways <pathways@example.org>',
};

async function compose(): Promise<Record<string, Service>> {
  const text = await readFile(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');
  return parse(text, { merge: true }).services;
}

/** The host side of a bind mount, as a path from the project's root. */
const mounted = (service: Service) => (service.volumes ?? []).map((v) => path.resolve(PROJECT_ROOT, v.split(':')[0]!));

describe('docker-compose.yml', () => {
  it('gives every service an image or a build', async () => {
    for (const [name, service] of Object.entries(await compose())) {
      expect(service.image ?? service.build, `service ${name}`).toBeTruthy();
    }
  });

  it('runs the shape npm run cluster runs: the Temporal server of the same release on PostgreSQL, set up by the same schema job', async () => {
    const services = await compose();
    expect(Object.keys(services).sort()).toEqual(['api', 'postgresql', 'temporal', 'temporal-schema', 'temporal-ui', 'worker']);
    const { temporal, 'temporal-schema': schema } = services;
    expect(temporal!.image).toBe(`temporalio/server:${TEMPORAL_SERVER_RELEASE}`);
    expect(temporal!.environment).toMatchObject({ DB: SQL_PLUGIN, POSTGRES_SEEDS: 'postgresql', NUM_HISTORY_SHARDS: String(HISTORY_SHARDS) });
    expect(mounted(temporal!)).toEqual([DYNAMIC_CONFIG]);
    expect(temporal!.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });

    expect(schema!.image).toMatch(new RegExp(`^temporalio/admin-tools:${TEMPORAL_SERVER_RELEASE.replaceAll('.', '\\.')}-`));
    expect(mounted(schema!)).toEqual([SCHEMA_SCRIPT]);
    expect(schema!.entrypoint).toEqual(['sh', `/deploy/${path.basename(SCHEMA_SCRIPT)}`]);
    expect(schema!.environment).toMatchObject({ SQL_PLUGIN, SQL_HOST: 'postgresql' });
  });

  it('and the embedded dev server runs with the dynamic configuration the real server reads', async () => {
    const file = parse(await readFile(DYNAMIC_CONFIG, 'utf8')) as Record<string, { value: unknown }[]>;
    // One value each, for every namespace: the dev server takes no constraints.
    for (const settings of Object.values(file)) expect(settings).toEqual([{ value: expect.anything() }]);
    expect(DEV_DYNAMIC_CONFIG).toEqual(Object.fromEntries(Object.entries(file).map(([key, [setting]]) => [key, setting!.value])));
  });

  it('runs the compiled api and as many workers as npm run cluster, from the Dockerfile', async () => {
    const services = await compose();
    expect(services.api!.command).toEqual(serviceCommand('api'));
    expect(services.worker!.command).toEqual(serviceCommand('worker'));
    expect(services.worker!.deploy?.replicas).toBe(WORKERS);
    expect(services.api!.build).toBe('.');
    expect(services.worker!.build).toBe('.');
    const dockerfile = await readFile(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('RUN npm run build');
    expect(dockerfile).toContain(`CMD ${JSON.stringify(serviceCommand('api')).replaceAll(',', ', ')}`);
    await stat(path.join(PROJECT_ROOT, 'Dockerfile'));
  });

  it('configures api and worker with the variables npm run cluster gives its processes', async () => {
    const services = await compose();
    const cluster = Object.keys(serviceSettings({ apiPort: 3000, temporalAddress: 't:1', databaseUrl: 'postgres://x', jwksUrl: 'https://i', smtpUrl: 'smtp://127.0.0.1:2525', caFile: 'ca', payloadKey: 'k', clockScale: 1 }));
    // Only in compose: the Temporal UI's address and the console's sign-in (the cluster's identity
    // provider issues tokens but has no sign-in page). Only in the cluster: the search path, and the
    // private authority its identity provider's certificate is signed by.
    const composeOnly = ['TEMPORAL_UI_URL', 'OIDC_ISSUER', 'OIDC_CLIENT_ID'];
    const clusterOnly = ['PATH', 'NODE_EXTRA_CA_CERTS'];
    for (const name of ['api', 'worker']) {
      const names = Object.keys(services[name]!.environment!);
      expect(names.filter((n) => !composeOnly.includes(n)).sort(), name).toEqual(cluster.filter((n) => !clusterOnly.includes(n)).sort());
    }
  });

  it('configures api and worker only through variables the configuration knows, as a valid production setup', async () => {
    const services = await compose();
    for (const name of ['api', 'worker']) {
      const environment = services[name]!.environment!;
      const unknown = Object.keys(environment).filter((key) => !(SETTING_NAMES as string[]).includes(key));
      expect(unknown, `unknown variables in ${name}`).toEqual([]);
      // Interpolated values stand for what the operator provides: required ones (:?) are given, optional ones (:-) left empty.
      const operator = (v: string) =>
        v
          .replace(/\$\{[A-Z_]+:-[^}]*\}/g, '')
          .replace(/\$\{([A-Z_]+):\?[^}]+\}/g, (_, name: string) => OPERATOR_VALUES[name] ?? 'secret');
      const resolved = outside(services[name]!, Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, operator(String(v))])));
      expect(loadConfig(resolved).mode).toBe('production');
    }
  });

  it("signs people in to the Temporal UI with the API's identity provider and decodes with their token", async () => {
    const services = await compose();
    const ui = resolve(services['temporal-ui']!.environment!);
    const api = loadConfig(outside(services.api!, resolve(services.api!.environment!)));
    expect(ui).toMatchObject({ TEMPORAL_AUTH_ENABLED: 'true', TEMPORAL_AUTH_TYPE: 'oidc', TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'true' });
    // The same provider that issues the tokens the API accepts.
    expect(ui.TEMPORAL_AUTH_PROVIDER_URL).toBe(api.auth.issuer);
    expect(ui.TEMPORAL_AUTH_CLIENT_ID).toBeTruthy();
    expect(ui.TEMPORAL_DEFAULT_NAMESPACE).toBe(api.temporal.namespace);
    // The UI's address, as browsers reach it: its sign-in callback, its published port, the API's
    // link to it, and an origin the codec answers.
    const uiUrl = api.temporal.uiUrl!;
    expect(ui.TEMPORAL_AUTH_CALLBACK_URL).toBe(`${uiUrl}/auth/sso/callback`);
    expect(ui.TEMPORAL_CORS_ORIGINS).toBe(uiUrl);
    expect(services['temporal-ui']!.ports).toEqual([`${new URL(uiUrl).port}:8080`]);
    expect(codecOrigins(api).has(new URL(uiUrl).origin)).toBe(true);
    // The codec endpoint is the API's, as browsers reach it.
    const codec = new URL(ui.TEMPORAL_CODEC_ENDPOINT!);
    expect(codec.pathname).toBe('/codec');
    expect(services.api!.ports).toEqual([`${codec.port}:${api.http.port}`]);
  });
});

/** The variables with paths inside the container read where the operator's mounted file is, as the container would. */
function outside(service: Service, environment: Record<string, string>): Record<string, string> {
  const mounts = (service.volumes ?? []).map((v) => resolve({ v }).v!.split(':'));
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, mounts.find(([, inside]) => inside === v)?.[0] ?? v]));
}

/** A service's variables as compose gives them: the operator's values for required ones (:?), defaults (:-) for the others. */
function resolve(environment: Record<string, string>): Record<string, string> {
  const value = (v: string) =>
    v
      .replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_, _name: string, fallback: string) => fallback)
      .replace(/\$\{([A-Z_]+):\?[^}]+\}/g, (_, name: string) => OPERATOR_VALUES[name] ?? 'secret');
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, value(String(v))]));
}
