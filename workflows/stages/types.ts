import type { z } from 'zod';
import type { Actor, PersonCategories, Role, StageName, StageStatus } from '../../src/domain/model.js';
import type { AuditEntry, GroupEvent, PathwayInput, Refusal } from '../../src/domain/pathway.js';
import type { StageTemplate } from '../../src/domain/template.js';
import type { ErrorParams } from '../../src/domain/problem-codes.js';
import type { RefusalWhy } from '../../src/domain/refusal-codes.js';
import type { PathwayState } from '../state.js';

/** What stage rules see: the pathway's input, its recorded state and the current time. */
export interface Ctx {
  readonly input: PathwayInput;
  readonly state: PathwayState;
  readonly now: number;
  /** The person's categories today: a child's age band moves on with time (rules 2). */
  readonly person: PersonCategories;
  status(stage: StageName): StageStatus;
  template(stage: StageName): StageTemplate | undefined;
  /** Tells the other pathways of the family group (only while an action or event is applied). */
  emit(event: GroupNotice): void;
  /** The same pathway with another state at another moment: a correction replays its history with it. */
  at(state: PathwayState, now: number, emit: (event: GroupNotice) => void): Ctx;
}

/** A group event before the sender's id is stamped on it. */
export type GroupNotice = DistributiveOmit<GroupEvent, 'from'>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** One kind of action a person can record; its type and payload are known to the compiler. */
export interface ActionDefinition<P = any, T extends string = string> {
  type: T;
  roles: Role[];
  payload: z.ZodType<P>;
  /** Accepted whatever the status of its stage (closing a pathway). */
  anyStage?: boolean;
  /** False for actions that record an exception rather than move the pathway on (default true). */
  routine?(ctx: Ctx): boolean;
  /**
   * Why the pathway would not accept it now. It may depend on the sender's organisation (whose hold
   * on a stage), never on who they are (that is `excluded`'s); without a sender, as listed.
   */
  refuse?(ctx: Ctx, payload: P, sender?: Actor): Refusal | undefined;
  /** Ids of people who may not send it now (four eyes); the payload is the one sent, or the example. */
  excluded?(ctx: Ctx, payload?: P): string[];
  /**
   * The organisations whose people may send it with this payload (default: the pathway's own, and
   * for a stage's actions an organisation that accepted a referral of that stage); without one,
   * those who may send it in some form, as `availableActions` lists it.
   */
  organisations?(ctx: Ctx, payload?: P): string[];
  /**
   * Whether to list it as available, for an action whose example cannot be a payload it accepts
   * (a correction must change what was recorded); without it, the example must pass the gate.
   */
  offered?(ctx: Ctx): boolean;
  /** The stage the audit entry names, when it is not the module's (a referral names the referred stage). */
  auditStage?(ctx: Ctx, payload: P): StageName;
  apply(ctx: Ctx, payload: P, actor: Actor): void;
  /** A payload the pathway would accept as is, when the action is available. */
  example(ctx: Ctx): P;
  /** Values of a field the pathway would accept now, where the schema allows more (offered to forms instead of the schema's). */
  choices?(ctx: Ctx): Record<string, string[]>;
  /** For an action that answers one of several things (a referral each): one example per thing, each listed with who may send it. */
  examples?(ctx: Ctx): P[];
  /** The four-eyes refusal's words, when not those of an approval. */
  fourEyes?: { message: string; code: RefusalWhy };
}

/** The rules of one stage. */
export interface StageModule {
  stage: StageName;
  /** Becomes active as soon as it may start, without anyone recording anything. */
  startsItself?: boolean;
  /** Whether the stage concerns this person, beyond the template's audience. */
  applies?(ctx: Ctx): boolean;
  done(ctx: Ctx): boolean;
  /** What keeps an active stage from ending. */
  waitingFor?(ctx: Ctx): string[];
  /** What the stage holds, as a reader sees it; `ctx` for what depends on the person. */
  details(state: PathwayState, ctx: Ctx): Record<string, unknown>;
  actions: readonly ActionDefinition[];
}

export const RECORDERS: Role[] = ['staff', 'supervisor'];
export const PLANNERS: Role[] = ['coordinator', 'staff', 'supervisor'];
export const SUPERVISORS: Role[] = ['supervisor'];

/** A refusal: its coarse reason, the English sentence for API users, and its own code with what the sentence names. */
export function refusal(code: Refusal['code'], message: string, why: RefusalWhy, params?: ErrorParams): Refusal {
  return { code, message, why: { code: why, ...(params ? { params } : {}) } };
}

export function defineAction<const T extends string, P>(definition: ActionDefinition<P, T>): ActionDefinition<P, T> {
  return definition;
}

/** Something that happened because time passed or another pathway spoke, not because a person acted. */
export interface AutomaticEvent {
  type: string;
  stage: StageName;
  data: Record<string, unknown>;
  escalation?: AuditEntry['escalation'];
}
