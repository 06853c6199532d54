// The notifications a pathway's batch raises, each keyed by the entry that raised it, so a retried
// batch raises nothing twice. Reminders of one pathway that fire together (a pathway typed in
// weeks after the arrival finds several steps overdue at once) fold into one summary per audience.
import type { StageName } from '../domain/model.js';
import type { AuditEntry } from '../domain/pathway.js';
import type { Projection } from '../domain/projection.js';
import { ENTRY_RULES } from './catalogue.js';
import type { NewNotification } from './types.js';

export function notificationsOf(batch: { pathwayId: string; entries: AuditEntry[]; projection: Projection }): NewNotification[] {
  const { pathwayId, projection } = batch;
  const single: NewNotification[] = [];
  const reminders = new Map<string, { seq: number; stages: StageName[]; audience: NewNotification['audience']; last: NewNotification }>();
  for (const entry of batch.entries) {
    const rule = ENTRY_RULES[entry.type];
    const context = { entry, projection };
    if (!rule || (rule.when && !rule.when(context))) continue;
    const audience = rule.audience(context).filter((a) => a.organisation);
    if (!audience.length) continue;
    const notification: NewNotification = {
      eventKey: `pathway:${pathwayId}:${entry.seq}:${rule.kind}`,
      kind: rule.kind,
      pathwayId,
      organisation: projection.organisations[0],
      data: dropUndefined(rule.data(context)),
      audience,
    };
    if (!rule.reminder) {
      single.push(notification);
      continue;
    }
    const key = JSON.stringify(audience);
    const group = reminders.get(key);
    if (group) {
      group.stages.push(entry.stage);
      group.last = notification;
    } else {
      reminders.set(key, { seq: entry.seq, stages: [entry.stage], audience, last: notification });
    }
  }
  const folded = [...reminders.values()].map((group): NewNotification => {
    if (group.stages.length === 1) return group.last;
    return {
      eventKey: `pathway:${pathwayId}:${group.seq}:steps-summary`,
      kind: 'steps-summary',
      pathwayId,
      organisation: projection.organisations[0],
      data: { stages: [...new Set(group.stages)], count: group.stages.length },
      audience: group.audience,
    };
  });
  return [...single, ...folded];
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
