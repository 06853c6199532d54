import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { StageName } from '../../src/domain/model.js';
import type { PathwayInput, Refusal } from '../../src/domain/pathway.js';
import { faultsOfIssues } from '../../src/domain/problem-codes.js';
import { defineAction, refusal, SUPERVISORS, type ActionDefinition, type Ctx, type GroupNotice } from '../stages/types.js';
import { CORRECTABLE_STAGES, initialState, type CorrectableStage, type LoggedAction, type PathwayState } from '../state.js';

const CORRECTABLE = CORRECTABLE_STAGES;

export const isCorrectable = (stage: StageName): stage is CorrectableStage => (CORRECTABLE as readonly string[]).includes(stage);

/**
 * Rules 3 on: quarantine's release is logged too, and replayed by a correction, not corrected: it
 * was recorded on the basis of the medical steps before it (before rules 3 it was not logged).
 */
const replaysQuarantine = (input: PathwayInput) => (input.rulesVersion ?? 1) >= 3;

/** What an entry records now: its own seq, or that of the latest correction of it. */
const versionOf = (ctx: Ctx, entry: LoggedAction) => ctx.state.corrections[String(entry.seq)] ?? entry.seq;

/** The latest step a correction can name, if any. */
const lastCorrectable = (ctx: Ctx) => [...ctx.state.log].reverse().find((e) => isCorrectable(e.stage));

const Reason = z.enum(['recording-error', 'wrong-option', 'new-evidence', 'other']);

type Lookup = (type: string) => ActionDefinition | undefined;

const loggedEntry = (ctx: Ctx, seq: number) => ctx.state.log.find((e) => e.seq === seq);

/** The corrected payload as the original action's schema reads it, or why it does not. */
function parsedPayload(definition: ActionDefinition, payload: unknown): { value?: unknown; refusal?: Refusal } {
  const parsed = definition.payload.safeParse(payload);
  if (parsed.success) return { value: parsed.data };
  return {
    refusal: {
      ...refusal('invalid-data', 'The corrected payload is not valid for the action it corrects.', 'corrected-payload-invalid'),
      fields: faultsOfIssues(parsed.error.issues, payload, ['payload', 'payload']),
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
  // Quarantine's clock stays as it is (a release it allowed then, it allows now); its release replays.
  const quarantine = replaysQuarantine(ctx.input) ? { quarantine: { ...ctx.state.quarantine, released: false } } : {};
  const state: PathwayState = JSON.parse(JSON.stringify({ ...ctx.state, ...pick(base), ...quarantine }));
  const notices: GroupNotice[] = [];
  for (const entry of ctx.state.log) {
    const definition = lookup(entry.type);
    if (!definition) return { notices, refusal: refusal('invalid-data', `Entry ${entry.seq} (${entry.type}) is of an action this code no longer knows.`, 'action-no-longer-known', { entry: entry.seq }) };
    const payload = entry.seq === seq ? value : entry.payload;
    const at = ctx.at(state, entry.at, (notice) => notices.push(notice));
    const refused = entry.seq >= seq ? definition.refuse?.(at, payload) : undefined;
    if (refused && entry.seq === seq) return { notices, refusal: { code: refused.code, message: `The corrected value would not have been accepted: ${refused.message}`, why: refused.why } };
    if (refused) {
      const because = refused.message.replace(/\.$/, '');
      return { notices, refusal: refusal('later-decision', `Entry ${entry.seq} (${entry.type}) was recorded on the basis of entry ${seq}; the correction would undo it (${because}).`, 'correction-undoes-later-step', { entry: entry.seq, basis: seq }) };
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
  const check = (ctx: Ctx, payload: { entry: number; version?: number; payload: Record<string, unknown> }): Replay & { entry?: LoggedAction; value?: unknown } => {
    const entry = loggedEntry(ctx, payload.entry);
    const definition = entry && isCorrectable(entry.stage) ? lookup(entry.type) : undefined;
    if (!entry || !definition) {
      return { notices: [], refusal: refusal('invalid-data', `Entry ${payload.entry} is not a recorded step this pathway can correct (steps of ${CORRECTABLE.join(', ')}).`, 'entry-not-correctable', { entry: payload.entry }) };
    }
    const parsed = parsedPayload(definition, payload.payload);
    if (parsed.refusal) return { notices: [], refusal: parsed.refusal };
    // Two corrections of one entry at once: the second names what the first replaced.
    if (payload.version !== undefined && payload.version !== versionOf(ctx, entry)) {
      return { notices: [], refusal: refusal('stale-version', `Entry ${entry.seq} was corrected since (its current version is ${versionOf(ctx, entry)}): read the pathway again and correct what it records now.`, 'entry-corrected-since', { entry: entry.seq, version: versionOf(ctx, entry) }) };
    }
    if (JSON.stringify(parsed.value) === JSON.stringify(entry.payload)) return { notices: [], refusal: refusal('invalid-data', 'The corrected payload is the one recorded: nothing to correct.', 'correction-changes-nothing') };
    return { entry, ...replayed(ctx, lookup, entry.seq, parsed.value), value: parsed.value };
  };
  return defineAction({
    type: 'correction',
    roles: SUPERVISORS,
    anyStage: true,
    routine: () => false,
    // Its example names the latest step with its recorded payload, which it refuses: listed while a step can be corrected.
    offered: (ctx) => lastCorrectable(ctx) !== undefined,
    fourEyes: { message: 'A supervisor other than the one who recorded the entry must correct it.', code: 'four-eyes-correction' },
    payload: z
      .object({
        entry: z.number().int().min(1),
        // Required of new corrections (see refuse); absent from those recorded before it existed.
        version: z.number().int().min(1).optional(),
        payload: z.record(z.string(), z.unknown()),
        reason: Reason,
      })
      .strict(),
    auditStage: (ctx, payload) => loggedEntry(ctx, payload.entry)?.stage ?? 'intake',
    // Nobody corrects a step they recorded, or corrected before.
    excluded: (ctx, payload) => {
      const entry = payload ? loggedEntry(ctx, payload.entry) : lastCorrectable(ctx);
      return entry ? [entry.actor.id, ...(entry.correctedBy ?? [])] : [];
    },
    refuse: (ctx, payload) => {
      const entry = loggedEntry(ctx, payload.entry);
      if (entry && isCorrectable(entry.stage) && payload.version === undefined) {
        return {
          ...refusal('invalid-data', 'A correction names the version of the entry it corrects.', 'correction-names-version'),
          fields: [{ path: 'payload.version', message: `must be ${versionOf(ctx, entry)}, the entry's current version`, code: 'not-current-version', params: { version: versionOf(ctx, entry) } }],
        };
      }
      return check(ctx, payload).refusal ?? releasedBefore(ctx, payload);
    },
    apply(ctx, payload, actor) {
      const corrected = check(ctx, payload);
      // The validator ran the same check; should they ever disagree, the action fails, not the pathway.
      if (corrected.refusal || !corrected.state) {
        const refused = corrected.refusal ?? refusal('invalid-data', 'The correction cannot be applied.', 'correction-not-applicable');
        throw ApplicationFailure.create({ type: refused.code, message: refused.message, details: [refused], nonRetryable: true });
      }
      const before = lastTold(replayed(ctx, lookup, corrected.entry!.seq, corrected.entry!.payload).notices);
      for (const stage of CORRECTABLE) (ctx.state as unknown as Record<string, unknown>)[stage] = corrected.state[stage];
      corrected.entry!.payload = corrected.value;
      corrected.entry!.correctedBy = [...(corrected.entry!.correctedBy ?? []), actor.id];
      ctx.state.corrections[String(corrected.entry!.seq)] = ctx.state.seq + 1;
      // The family group hears what changed: a caregiver available again, a child placed elsewhere.
      for (const [kind, told] of lastTold(corrected.notices)) if (before.get(kind) !== told) ctx.emit(JSON.parse(told));
    },
    example(ctx) {
      const last = lastCorrectable(ctx);
      return { entry: last?.seq ?? 1, version: last ? versionOf(ctx, last) : 1, payload: (last?.payload ?? {}) as Record<string, unknown>, reason: 'recording-error' as const };
    },
  });
}

/** The step to keep for corrections: of a stage they can rebuild, or (rules 3) one they replay. */
export function loggable(input: PathwayInput, stage: StageName, entry: Omit<LoggedAction, 'stage'>): LoggedAction | undefined {
  return isCorrectable(stage) || (stage === 'quarantine' && replaysQuarantine(input)) ? { ...entry, stage } : undefined;
}

/**
 * Pathways whose log does not hold quarantine's release (rules before 3): a medical screening may
 * not be corrected to anything but cleared once quarantine was released on the basis of it.
 */
function releasedBefore(ctx: Ctx, payload: { entry: number; payload: Record<string, unknown> }): Refusal | undefined {
  if (replaysQuarantine(ctx.input) || !ctx.state.quarantine.released) return undefined;
  const entry = loggedEntry(ctx, payload.entry);
  // Only a screening that cleared the person can be what the release stood on.
  const cleared = (entry?.payload as { result?: string } | undefined)?.result === 'cleared';
  if (entry?.type !== 'medical.record-screening' || !cleared || payload.payload.result === 'cleared') return undefined;
  return refusal('later-decision', `Quarantine was released on the basis of entry ${entry.seq}; the correction would undo the release (medical screening has not cleared the person).`, 'correction-undoes-release', { entry: entry.seq });
}
