import type { NotifyDeps } from '../deps.js';

/** What the webhook channel uses of the dispatcher's dependencies. */
export type WebhookDeps = Pick<NotifyDeps, 'pool' | 'config' | 'logger'>;

/** Where links point: PUBLIC_URL, else the API's own address. */
export const consoleUrl = (config: NotifyDeps['config']) => config.publicUrl ?? `http://${config.http.host}:${config.http.port}`;
