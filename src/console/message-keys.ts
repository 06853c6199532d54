import { z } from 'zod';
import { ERRORS } from '../errors.js';
import { ArrivedWith, PathwayStatus, Role, StageStatus, STAGES } from '../domain/model.js';
import { RefusalCode } from '../domain/pathway.js';
import { actionSchemas } from './action-schemas.js';

/** The automatic events a pathway records (workflows/timeline.ts, group.ts, pathway.ts); a test keeps this list whole. */
export const EVENT_TYPES = [
  'pathway.opened', 'pathway.continued-as-new', 'stage.due-soon', 'stage.overdue', 'stage.overdue-escalated', 'quarantine.minimum-passed', 'person.age-band-changed',
  'group.member-joined', 'group.sibling-placed', 'group.siblings-apart', 'follow-up.period-ended', 'follow-up.check-in-missed', 'follow-up.ended',
  'referral.unanswered', 'pathway.transferred', 'transfer.failed',
] as const;

type JsonSchema = { properties?: Record<string, JsonSchema>; enum?: string[]; items?: JsonSchema; anyOf?: JsonSchema[] };

/** A field that is one of several shapes (a referral's consent: by whom, or a legal basis) names each shape's field after it: `consent.by`. */
function collect(schema: JsonSchema, fields: Set<string>, values: Set<string>, prefix = '') {
  for (const value of schema.enum ?? []) values.add(value);
  if (schema.items) collect(schema.items, fields, values);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    fields.add(`${prefix}${name}`);
    collect(field, fields, values);
    for (const shape of field.anyOf ?? []) collect(shape, fields, values, `${name}.`);
  }
}

/**
 * Every word of the domain the console shows through a translation: stages, statuses, roles,
 * actions, events, refusals, errors, and each payload field and value. Generated from the same
 * schemas the API validates with, so a new action or value fails the locale test until translated.
 */
export function domainMessageKeys(): string[] {
  const { actions, openPathway } = actionSchemas();
  const fields = new Set<string>();
  const values = new Set<string>(['choose', 'none']);
  for (const schema of Object.values(actions)) collect(schema as JsonSchema, fields, values);
  collect(openPathway as JsonSchema, fields, values);
  const keys = [
    ...STAGES.map((stage) => `stage.${stage}`),
    ...PathwayStatus.options.map((status) => `status.${status}`),
    ...StageStatus.options.map((status) => `status.${status}`),
    ...Role.options.map((role) => `role.${role}`),
    ...ArrivedWith.options.map((how) => `person.arrivedWith.${how}`),
    ...Object.keys(actions).map((type) => `action.${type}`),
    ...EVENT_TYPES.map((type) => `event.${type}`),
    ...RefusalCode.options.map((code) => `refusal.${code}`),
    ...Object.keys(ERRORS).map((code) => `error.${code}`),
    ...[...fields].map((field) => `field.${field}`),
    ...[...values].map((value) => `value.${value}`),
  ];
  return [...new Set(keys)];
}

export const LocaleFile = z.record(z.string(), z.string().min(1));
