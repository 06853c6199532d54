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
import { assignmentActions } from '../agencies/assignment.js';
import { correctionAction } from '../agencies/corrections.js';
import { hiddenNameAction } from '../agencies/hidden-name.js';
import { referralActions } from '../agencies/referrals.js';
import { transferActions } from '../agencies/transfer.js';

/** Work across organisations: on the whole pathway, listed with registration like a reassignment. */
const AGENCY_ACTIONS = [
  ...referralActions,
  ...transferActions,
  ...assignmentActions,
  hiddenNameAction,
  correctionAction((type) => ACTIONS.get(type)?.definition),
] as const;

const MODULES = {
  intake: { ...intake, actions: [...intake.actions, ...AGENCY_ACTIONS] },
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
} satisfies Record<StageName, StageModule>;

export const STAGE_MODULES: Record<StageName, StageModule> = MODULES;

/** Every action as the compiler knows it: its literal type and its payload's type. */
type AnyAction = (typeof MODULES)[StageName]['actions'][number];
export type ActionType = AnyAction['type'];
/** The payload an action of this type takes, as its zod schema says. */
export type PayloadOf<T extends ActionType> = Extract<AnyAction, { type: T }> extends ActionDefinition<infer P, T> ? P : never;

/** Every action type, with the stage it belongs to. */
export const ACTIONS: ReadonlyMap<string, { stage: StageName; definition: ActionDefinition }> = new Map(
  Object.values(STAGE_MODULES).flatMap((module) => module.actions.map((definition) => [definition.type, { stage: module.stage, definition }] as const)),
);
