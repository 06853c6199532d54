import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActionEnvelope, ActionResult, GroupEvent, PathwayInput, PathwayView } from '../src/domain/pathway.js';

/** The pathway workflow (workflows/pathway.ts) as a client starts it, by name: the client need not load the workflow's code. */
export type PathwayWorkflow = (input: PathwayInput) => Promise<PathwayView>;

/** A person records a step: accepted (with the new state when the envelope asks) or refused with a reason. */
export const actUpdate = defineUpdate<ActionResult, [ActionEnvelope]>('act');
/** The whole state of the pathway. */
export const stateQuery = defineQuery<PathwayView>('state');
/** News from another pathway of the same family group. */
export const groupSignal = defineSignal<[GroupEvent]>('group');
