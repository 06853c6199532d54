import { z } from 'zod';
import { ACTIONS } from '../../workflows/stages/index.js';
import { OpenPathway } from '../domain/open.js';

/**
 * Each action's payload as JSON Schema, and the opening form's: the console generates its forms
 * from the same zod schemas the API validates with, so a new action needs no console change.
 */
export function actionSchemas(): { actions: Record<string, unknown>; openPathway: unknown } {
  const toJson = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return {
    actions: Object.fromEntries([...ACTIONS].map(([type, { definition }]) => [type, toJson(definition.payload as z.ZodType)])),
    openPathway: toJson(OpenPathway),
  };
}
