import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { StageName } from '../../src/domain/model.js';
import type { Refusal } from '../../src/domain/pathway.js';
import { createCtx } from '../rules.js';
import { defineAction, refusal, SUPERVISORS, type ActionDefinition, type Ctx, type GroupNotice } from '../stages/types.js';
import { CORRECTABLE_STAGES, initialState, type CorrectableStage, type LoggedAction, type PathwayState } from '../state.js';

const CORRECTABLE = CORRECTABLE_STAGES;

export const isCorrectable = (stage: StageName): stage is CorrectableStage => (CORRECTABLE as readonly string[]).includes(stage);

const Reason = z.enum(['recording-error', 'wrong-option', 'new-evidence', 'other']);

type Lookup = (type: string) => ActionDefinition | undefined;

const loggedEntry = (ctx: Ctx, seq: number) => ctx.state.log.find((e) => e.seq === seq);

/** The corrected payload as the original action's schema reads it, or why it does not. */
function parsedPayload(definition: ActionDefinition, payload: unknown): { value?: unknown; refusal?: Refusal } {
  const parsed = definition.payload.safeParse(payload);
  if (parsed.success) return { value: parsed.data };
  return {
    refusal: {
      code: 'invalid-data',
      message: 'The corrected payload is not valid for the action it corrects.',
      fields: parsed.error.issues.map((issue) => ({ path: ['payload', 'payload', ...issue.path].join('.'), message: issue.message })),
    },
  };
}

/** The stages' state rebuilt from their recorded steps, and the group notices those steps gave. */
interface Replay {
  state?: PathwayState;
  notices: GroupNotice[];
  refusal?: Refusal;
}

/**
 * The stages' state rebuilt from their recorded steps, with `value` in place of entry `seq`'s
 * payload (from what they held when the log began): each step from the corrected one on must
 * still be one the pathway would accept, or the correction would undo it.
 */
function replayed(ctx: Ctx, lookup: Lookup, seq: number, value: unknown): Replay {
  const base = ctx.state.logBase ?? initialState(ctx.state.openedAt, ctx.state.organisations);
  const state: PathwayState = JSON.parse(JSON.stringify({ ...ctx.state, ...pick(base) }));
  const notices: GroupNotice[] = [];
  for (const entry of ctx.state.log) {
    const definition = lookup(entry.type);
    if (!definition) return { notices, refusal: refusal('invalid-data', `Entry ${entry.seq} (${entry.type}) is of an action this code no longer knows.`) };
    const payload = entry.seq === seq ? value : entry.payload;
    const at = createCtx(ctx.input, state, entry.at, (notice) => notices.push(notice));
    const refused = entry.seq >= seq ? definition.refuse?.(at, payload) : undefined;
    if (refused && entry.seq === seq) return { notices, refusal: { code: refused.code, message: `The corrected value would not have been accepted: ${refused.message}` } };
    if (refused) {
      const because = refused.message.replace(/\.$/, '');
      return { notices, refusal: refusal('later-decision', `Entry ${entry.seq} (${entry.type}) was recorded on the basis of entry ${seq}; the correction would undo it (${because}).`) };
    }
    definition.apply(at, payload, entry.actor);
  }
  return { state, notices };
}

const pick = (state: Partial<Pick<PathwayState, CorrectableStage>>) => Object.fromEntries(CORRECTABLE.map((stage) => [stage, state[stage]]));

/** The last notice of each kind: what the family group was last told. */
function lastTold(notices: GroupNotice[]): Map<string, string> {
  return new Map(notices.map((notice) => [notice.kind, JSON.stringify(notice)]));
}

/** Replaces a wrongly recorded step: a supervisor other than its recorder, with a reason; the trail keeps both. */
export function correctionAction(lookup: Lookup) {
  const check = (ctx: Ctx, payload: { entry: number; payload: Record<string, unknown> }): Replay & { entry?: LoggedAction; value?: unknown } => {
    const entry = loggedEntry(ctx, payload.entry);
    const definition = entry && lookup(entry.type);
    if (!entry || !definition) {
      return { notices: [], refusal: refusal('invalid-data', `Entry ${payload.entry} is not a recorded step this pathway can correct (steps of ${CORRECTABLE.join(', ')}).`) };
    }
    const parsed = parsedPayload(definition, payload.payload);
    if (parsed.refusal) return { notices: [], refusal: parsed.refusal };
    if (JSON.stringify(parsed.value) === JSON.stringify(entry.payload)) return { notices: [], refusal: refusal('invalid-data', 'The corrected payload is the one recorded: nothing to correct.') };
    return { entry, ...replayed(ctx, lookup, entry.seq, parsed.value), value: parsed.value };
  };
  return defineAction({
    type: 'correction',
    roles: SUPERVISORS,
    anyStage: true,
    routine: () => false,
    // Its example names the latest step with its recorded payload, which it refuses: listed while a step can be corrected.
    offered: (ctx) => ctx.state.log.length > 0,
    fourEyes: 'A supervisor other than the one who recorded the entry must correct it.',
    payload: z.object({ entry: z.number().int().min(1), payload: z.record(z.string(), z.unknown()), reason: Reason }).strict(),
    auditStage: (ctx, payload) => loggedEntry(ctx, payload.entry)?.stage ?? 'intake',
    excluded: (ctx, payload) => {
      const entry = payload ? loggedEntry(ctx, payload.entry) : ctx.state.log.at(-1);
      return entry ? [entry.actor.id] : [];
    },
    refuse: (ctx, payload) => check(ctx, payload).refusal,
    apply(ctx, payload) {
      const corrected = check(ctx, payload);
      // The validator ran the same check; should they ever disagree, the action fails, not the pathway.
      if (corrected.refusal || !corrected.state) {
        const refused = corrected.refusal ?? refusal('invalid-data', 'The correction cannot be applied.');
        throw ApplicationFailure.create({ type: refused.code, message: refused.message, details: [refused], nonRetryable: true });
      }
      const before = lastTold(replayed(ctx, lookup, corrected.entry!.seq, corrected.entry!.payload).notices);
      for (const stage of CORRECTABLE) (ctx.state as unknown as Record<string, unknown>)[stage] = corrected.state[stage];
      corrected.entry!.payload = corrected.value;
      ctx.state.corrections[String(corrected.entry!.seq)] = ctx.state.seq + 1;
      // The family group hears what changed: a caregiver available again, a child placed elsewhere.
      for (const [kind, told] of lastTold(corrected.notices)) if (before.get(kind) !== told) ctx.emit(JSON.parse(told));
    },
    example(ctx) {
      const last = ctx.state.log.at(-1);
      return { entry: last?.seq ?? 1, payload: (last?.payload ?? {}) as Record<string, unknown>, reason: 'recording-error' as const };
    },
  });
}

/** The step to keep for corrections, when its stage is one they can rebuild. */
export function loggable(stage: StageName, entry: Omit<LoggedAction, 'stage'>): LoggedAction | undefined {
  return isCorrectable(stage) ? { ...entry, stage } : undefined;
}
