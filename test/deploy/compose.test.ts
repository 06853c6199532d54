import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, PROJECT_ROOT, SETTING_NAMES } from '../../config/index.js';

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
}

/** What an operator provides for the variables compose requires. */
const OPERATOR_VALUES: Record<string, string> = {
  AUTH_JWKS_URL: 'https://id.example.org/.well-known/jwks.json',
  PAYLOAD_KEYS: 'k1:dGVzdC1vbmx5LXBheWxvYWQta2V5LTMyLWJ5dGVzISE=',
  PAYLOAD_ACTIVE_KEY: 'k1',
};

async function compose(): Promise<Record<string, Service>> {
  const text = await readFile(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');
  return parse(text, { merge: true }).services;
}

describe('docker-compose.yml', () => {
  it('gives every service an image or a build', async () => {
    for (const [name, service] of Object.entries(await compose())) {
      expect(service.image ?? service.build, `service ${name}`).toBeTruthy();
    }
  });

  it('runs PostgreSQL, Temporal on it, the Temporal UI, and the api and worker from the Dockerfile', async () => {
    const services = await compose();
    expect(Object.keys(services).sort()).toEqual(['api', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services.api!.command).toEqual(['node', '--import', 'tsx', 'src/main.ts', 'api']);
    expect(services.worker!.command).toEqual(['node', '--import', 'tsx', 'src/main.ts', 'worker']);
    expect(services.api!.build).toBe('.');
    expect(services.worker!.build).toBe('.');
    await stat(path.join(PROJECT_ROOT, 'Dockerfile'));
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
      const resolved = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, operator(String(v))]));
      expect(loadConfig(resolved).mode).toBe('production');
    }
  });
});
