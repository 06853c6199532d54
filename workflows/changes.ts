import { patched } from '@temporalio/workflow';
import type { PathwayInput } from '../src/domain/pathway.js';

/**
 * Changes to the commands a pathway issues, each with the workflow version that has it from the
 * start. Pathways opened at that version or later know it from their input; those opened before
 * (or by an API older than the worker) ask `patched()`, as their histories recorded. Temporal
 * stores a marker and a search-attribute upsert (a visibility write) for every patch a new
 * workflow takes; the input costs nothing.
 */
const CHANGES = {
  /** Members of a family group opened together know each other from their inputs. */
  'family-members-in-input': 1,
  /** One timer for the deadlines instead of one per wait. */
  'steady-deadline-timer': 1,
  /** A transfer starts the new pathway itself, once an activity has checked the programme takes the person. */
  'transfer-opens-child': 2,
  /** An audit write not through by the pathway's wait deadline raises an incident. */
  'persist-deadline': 2,
  /** Closing early (any reason but completed) waits for a second supervisor instead of closing at once. */
  'early-close-approved': 3,
  /** A stage's due date is announced beforehand (`stage.due-soon`) and a stage still overdue goes to its supervisors (`stage.overdue-escalated`). */
  'stage-reminders': 4,
  /**
   * The opening's steps take the time the API opened the pathway at (`input.openedAt`), so the API
   * answers with its first state. Only a new pathway can take it: asked of the input alone.
   */
  'opened-at': 5,
  /**
   * The API writes the opening's batch in the opening's transaction (`input.openingWritten`); the
   * workflow takes all its opening steps before any handler runs, so its entries are those written,
   * and its first task writes nothing. Asked of the input alone.
   */
  'opening-written': 6,
} as const;

export type Change = keyof typeof CHANGES;

/** The version new pathways are opened with: every change above. */
export const WORKFLOW_VERSION = Math.max(...Object.values(CHANGES));

/** Whether the pathway was opened with `change`, from its input alone: for changes only a new pathway can take (no marker, ever). */
export function openedWith(input: PathwayInput, change: Change): boolean {
  return (input.workflowVersion ?? 0) >= CHANGES[change];
}

/** Whether this pathway runs `change`; deterministic on replay, since the input is in its history. */
export function runs(input: PathwayInput, change: Change): boolean {
  return openedWith(input, change) || patched(change);
}
