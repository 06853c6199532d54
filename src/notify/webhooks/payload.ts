import { Webhook } from 'standardwebhooks';
import type { NotificationData, StoredNotification } from '../types.js';

/**
 * The fields of a notification's data a payload may carry: categories, dates, counts and ids.
 * Anything else is left out, so a field added to a notification later does not leave the service
 * before someone has decided it carries no personal value.
 */
export const PAYLOAD_FIELDS = ['programme', 'stage', 'stages', 'dueAt', 'count', 'decision', 'from', 'to', 'reason', 'referral', 'webhookId'] as const satisfies readonly (keyof NotificationData)[];

/** What a receiver gets: Standard Webhooks' `type`, `timestamp` and `data`. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown> & { notificationId: string; kind: string; pathwayId: string | null; organisation: string | null; link: string | null };
}

/** The payload of a notification: its kind and categories, and a link that needs signing in. */
export function payloadOf(notification: StoredNotification, publicUrl: string): WebhookPayload {
  const data = notification.data as Record<string, unknown>;
  const fields = Object.fromEntries(PAYLOAD_FIELDS.filter((name) => data[name] !== undefined && data[name] !== null).map((name) => [name, data[name]]));
  const base = publicUrl.replace(/\/+$/, '');
  return {
    type: `pathways.${notification.kind}`,
    timestamp: new Date(notification.createdAt).toISOString(),
    data: {
      notificationId: notification.id,
      kind: notification.kind,
      pathwayId: notification.pathwayId ?? null,
      organisation: notification.organisation ?? null,
      ...fields,
      link: notification.pathwayId ? `${base}/#/pathways/${notification.pathwayId}` : null,
    },
  };
}

/**
 * The Standard Webhooks headers of one attempt: the id stays the same across retries (the receiver
 * drops a duplicate by it), the timestamp is the attempt's, and each secret in use signs
 * (space-separated, as the scheme allows while a secret is being rotated).
 */
export function signedHeaders(messageId: string, body: string, secrets: string[], at = new Date()): Record<string, string> {
  const signature = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' ');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
