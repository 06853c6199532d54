// Rules between settings: what production requires and refuses, and which settings must go together.
import { DEVELOPMENT_ONLY, isResourceIndicator, REHEARSAL_ALLOWS, REQUIRED_IN_PRODUCTION, type Parsed, type SettingName } from './settings.js';

export function productionProblems(present: Set<SettingName>, rehearsal: boolean): string[] {
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
export function plainHttpProblems(values: Parsed): string[] {
  return (['AUTH_JWKS_URL', 'OIDC_ISSUER'] as const)
    .filter((name) => values[name]?.startsWith('http:'))
    .map((name) => `${name}: must be an https:// URL when NODE_ENV=production`);
}

/** The API's audience doubles as its resource indicator when it is a URI; `none` sends none (providers that refuse the parameter). */
export function signInResource(values: Parsed): string | undefined {
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

export function consistencyProblems(values: Parsed): string[] {
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
  if (values.SMTP_URL && new URL(values.SMTP_URL).username && !new URL(values.SMTP_URL).password) {
    problems.push('SMTP_URL: a user name needs its password too (smtp://user:password@host:587)');
  }
  if (values.DATABASE_URL && values.POSTGRES_DEV_PORT !== undefined) {
    problems.push('POSTGRES_DEV_PORT: only applies to the embedded PostgreSQL; unset it or unset DATABASE_URL');
  }
  return problems;
}
