import type { JsonSchema } from './schema-form.js';

export interface ConsoleConfig {
  mode: 'development' | 'production';
  languages: { code: string; name: string }[];
  signIn:
    | { kind: 'development'; identities: { id: string; role: string; org: string }[] }
    | { kind: 'oidc'; issuer: string; clientId: string; scope: string; resource?: string }
    | { kind: 'none' };
  /** The organisation whose supervisors oversee every pathway and review emergency access. */
  oversightOrg: string;
  /** A pathway's workflow page in the Temporal UI, PATHWAYID standing for its id. */
  temporalUi?: { pathwayUrl: string };
  /** Programmes with their operations and phases, and the stages, for the forms' choices. */
  catalogue: { programmes: { code: string; operations: { name: string; phases?: string[] }[] }[]; stages: string[] };
}

export interface Schemas {
  actions: Record<string, JsonSchema>;
  openPathway: JsonSchema & { properties: { person: JsonSchema } };
}

let config: ConsoleConfig | undefined;
let schemas: Promise<Schemas> | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/console/config.json');
  config = (await response.json()) as ConsoleConfig;
  return config;
}

export const consoleConfig = () => config!;

/** The payload schemas, fetched once when the first form needs them. */
export function loadSchemas(): Promise<Schemas> {
  schemas ??= fetch('/console/action-schemas.json').then((response) => response.json() as Promise<Schemas>);
  return schemas;
}
