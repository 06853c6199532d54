import { z } from 'zod';
import type { StageName } from '../../src/domain/model.js';
import type { Refusal } from '../../src/domain/pathway.js';
import { createCtx } from '../rules.js';
import { defineAction, refusal, SUPERVISORS, type ActionDefinition, type Ctx } from '../stages/types.js';
import { initialState, type LoggedAction, type PathwayState } from '../state.js';

/**
 * Stages whose recorded steps a correction can replace: their state is theirs alone and no clock
 * changes it, so it can be rebuilt from their steps. (Quarantine and follow-up also change with
 * time; intake and closure record no stage facts.)
 */
const CORRECTABLE = ['medical', 'security', 'psychosocial', 'documentation', 'placement', 'education', 'livelihood', 'care'] as const;
type Correctable = (typeof CORRECTABLE)[number];

export const isCorrectable = (stage: StageName): stage is Correctable => (CORRECTABLE as readonly string[]).includes(stage);

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

/**
 * The stages' state rebuilt from their recorded steps, with `value` in place of entry `seq`'s
 * payload: each step from the corrected one on must still be one the pathway would accept, or
 * the correction would undo it.
 */
function recomputed(ctx: Ctx, lookup: Lookup, seq: number, value: unknown): { state?: PathwayState; refusal?: Refusal } {
  const fresh = initialState(ctx.state.openedAt, ctx.state.organisations);
  const state: PathwayState = JSON.parse(JSON.stringify(ctx.state));
  for (const stage of CORRECTABLE) (state as unknown as Record<string, unknown>)[stage] = fresh[stage];
  for (const entry of ctx.state.log) {
    const definition = lookup(entry.type)!;
    const payload = entry.seq === seq ? value : entry.payload;
    const at = createCtx(ctx.input, state, entry.at);
    if (entry.seq >= seq) {
      const refused = definition.refuse?.(at, payload);
      if (refused && entry.seq === seq) return { refusal: { code: refused.code, message: `The corrected value would not have been accepted: ${refused.message}` } };
      if (refused) {
        return {
          refusal: refusal(
            'later-decision',
            `Entry ${entry.seq} (${entry.type}) was recorded on the basis of entry ${seq}; the correction would undo it (${refused.message.replace(/\.$/, '')}).`,
          ),
        };
      }
    }
    definition.apply(at, payload, entry.actor);
  }
  return { state };
}

/** Replaces a wrongly recorded step: a supervisor other than its recorder, with a reason; the trail keeps both. */
export function correctionAction(lookup: Lookup) {
  const check = (ctx: Ctx, payload: { entry: number; payload: Record<string, unknown> }): { refusal?: Refusal; entry?: LoggedAction; state?: PathwayState; value?: unknown } => {
    const entry = loggedEntry(ctx, payload.entry);
    if (!entry) {
      return { refusal: refusal('invalid-data', `Entry ${payload.entry} is not a recorded step this pathway can correct (steps of ${CORRECTABLE.join(', ')}).`) };
    }
    const parsed = parsedPayload(lookup(entry.type)!, payload.payload);
    if (parsed.refusal) return { refusal: parsed.refusal };
    if (JSON.stringify(parsed.value) === JSON.stringify(entry.payload)) return { refusal: refusal('invalid-data', 'The corrected payload is the one recorded: nothing to correct.') };
    return { entry, ...recomputed(ctx, lookup, entry.seq, parsed.value), value: parsed.value };
  };
  return defineAction({
    type: 'correction',
    roles: SUPERVISORS,
    anyStage: true,
    routine: () => false,
    // Its example names the latest step with its recorded payload, which it refuses: listed while a step can be corrected.
    offered: (ctx) => ctx.state.log.length > 0,
    payload: z.object({ entry: z.number().int().min(1), payload: z.record(z.string(), z.unknown()), reason: Reason }).strict(),
    auditStage: (ctx, payload) => loggedEntry(ctx, payload.entry)?.stage ?? 'intake',
    excluded: (ctx, payload) => {
      const entry = payload ? loggedEntry(ctx, payload.entry) : ctx.state.log.at(-1);
      return entry ? [entry.actor.id] : [];
    },
    refuse: (ctx, payload) => check(ctx, payload).refusal,
    apply(ctx, payload) {
      const { entry, state, value } = check(ctx, payload);
      for (const stage of CORRECTABLE) (ctx.state as unknown as Record<string, unknown>)[stage] = state![stage];
      entry!.payload = value;
      ctx.state.corrections[String(entry!.seq)] = ctx.state.seq + 1;
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
