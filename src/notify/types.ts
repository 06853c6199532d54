// What a notification is, as stored and as channels carry it. Nothing here is a personal value of
// a pathway: a kind, a programme, a stage, dates, counts and organisation ids.
import type { Role, StageName } from '../domain/model.js';

export const NOTIFICATION_KINDS = [
  'step-due-soon',
  'step-overdue',
  'step-overdue-escalated',
  'steps-summary',
  'referral-received',
  'referral-answered',
  'referral-unanswered',
  'transfer-offered',
  'transfer-accepted',
  'transfer-declined',
  'transfer-failed',
  'decision-waiting',
  'emergency-access',
  'emergency-unreviewed',
  'incident',
  'family-news',
  'webhook-paused',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The fields a kind may carry; the programme is added from the pathway's row as it is stored. */
export interface NotificationData {
  programme?: string;
  stage?: StageName;
  dueAt?: string;
  /** A summary: the stages it folds, and how many reminders. */
  stages?: StageName[];
  count?: number;
  /** decision-waiting: what waits. */
  decision?: 'placement' | 'early-closure';
  /** Organisation ids: a referral's or transfer's sender and receiver. */
  from?: string;
  to?: string;
  /** A category, never free text: an answer (accepted, declined), a grant's reason, an incident's kind, a family's news. */
  reason?: string;
  referral?: string;
  /** webhook-paused: the hook. */
  webhookId?: string;
}

/** Who is told: everyone of `roles` in the organisation, or one person of it; never `except`. */
export interface Audience {
  organisation: string;
  roles?: Role[];
  subject?: string;
  except?: string;
}

export interface NewNotification {
  eventKey: string;
  kind: NotificationKind;
  pathwayId?: string;
  organisation?: string;
  data: NotificationData;
  audience: Audience[];
}

export interface StoredNotification {
  id: string;
  kind: NotificationKind;
  pathwayId: string | null;
  organisation: string | null;
  data: NotificationData;
  createdAt: string;
}

export type DeliveryChannel = 'email' | 'webhook';

export interface ClaimedDelivery {
  id: string;
  notificationId: string;
  channel: DeliveryChannel;
  /** E-mail: `<organisation>/<subject>`, or `mailto:<address>` for an operator; webhook: its id. */
  target: string;
  attempts: number;
  firstFailedAt?: string;
  notification: StoredNotification;
}
