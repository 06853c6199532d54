import type { Config } from '../../config/index.js';
import { workflowIdOf } from '../domain/model.js';
import { isLoopbackHttp } from '../../config/settings.js';

/**
 * The Temporal Web UI's page of a pathway's workflow (its latest run), or undefined when no UI is
 * known: `config.temporal.uiUrl` is TEMPORAL_UI_URL, or in development the embedded UI's address.
 */
export function workflowPageUrl(config: Pick<Config, 'temporal'>, pathwayId: string): string | undefined {
  const { uiUrl, namespace } = config.temporal;
  if (!uiUrl) return undefined;
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowIdOf(pathwayId))}`;
}

/**
 * Development: the origins of the Temporal UI on this machine (the embedded one, or TEMPORAL_UI_URL
 * when it is on a loopback address), under both names a browser may have used to open it.
 */
export function localUiOrigins(config: Pick<Config, 'mode' | 'temporal'>): string[] {
  if (config.mode !== 'development' || !config.temporal.uiUrl) return [];
  if (!isLoopbackHttp(config.temporal.uiUrl)) return [];
  const url = new URL(config.temporal.uiUrl);
  const port = url.port ? `:${url.port}` : '';
  return [...new Set([url.origin, `http://127.0.0.1${port}`, `http://localhost${port}`])];
}

/** Browser origins that may call the codec endpoint: the configured ones, the UI's own, and in development both names of a local UI. */
export function codecOrigins(config: Pick<Config, 'mode' | 'temporal' | 'payload'>): Set<string> {
  const own = config.temporal.uiUrl ? [new URL(config.temporal.uiUrl).origin] : [];
  return new Set([...config.payload.codecCorsOrigins, ...own, ...localUiOrigins(config)]);
}
