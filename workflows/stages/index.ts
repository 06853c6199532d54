import type { StageName } from '../../src/domain/model.js';
import { care } from './care.js';
import { closure } from './closure.js';
import { documentation } from './documentation.js';
import { education } from './education.js';
import { followUp } from './follow-up.js';
import { intake } from './intake.js';
import { livelihood } from './livelihood.js';
import { medical } from './medical.js';
import { placement } from './placement.js';
import { psychosocial } from './psychosocial.js';
import { quarantine } from './quarantine.js';
import { security } from './security.js';
import type { ActionDefinition, StageModule } from './types.js';

export const STAGE_MODULES: Record<StageName, StageModule> = {
  intake,
  quarantine,
  medical,
  security,
  psychosocial,
  documentation,
  placement,
  education,
  livelihood,
  followUp,
  care,
  closure,
};

/** Every action type, with the stage it belongs to. */
export const ACTIONS: ReadonlyMap<string, { stage: StageName; definition: ActionDefinition }> = new Map(
  Object.values(STAGE_MODULES).flatMap((module) => module.actions.map((definition) => [definition.type, { stage: module.stage, definition }] as const)),
);
