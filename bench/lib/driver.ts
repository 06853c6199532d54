import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor } from '../../src/domain/model.js';
import type { AvailableAction, PathwayView } from '../../src/domain/pathway.js';
import type { BenchApi, Crew } from './api.js';

/** What driving pathways to closure cost, as the clients saw it. */
export class DriveTally {
  accepted = 0;
  /** Refused because time moved the pathway on between the read and the action. */
  raced = 0;
  reads = 0;
  /** 503 and 429 answers, retried. */
  retried = 0;
  actionMs: number[] = [];
  readMs: number[] = [];
  problems: string[] = [];
  closed = 0;
}

interface Item {
  id: string;
  notBefore: number;
  /** The state the last accepted action answered with, as its sender sees it. */
  seen?: { actor: Actor; view: PathwayView };
  /** Who found an action last time: asked first next time. */
  lastActor: number;
  problems: number;
}

/** Refusals that only mean time moved on between reading and acting. */
const RACES = ['wrong-stage', 'not-due', 'missing-prerequisite'];
/** A pathway with nothing to do for anyone waits for time (or its family) this long. */
const WAIT_MS = 1000;
const MAX_PROBLEMS_PER_PATHWAY = 5;

const routine = (view: PathwayView): AvailableAction | undefined => view.availableActions.find((a) => a.routine);

/**
 * Drives pathways to closure through the API only: each client reads a pathway as staff, then the
 * coordinator, then each supervisor (a state lists only what its reader may send), sends the first
 * routine action it finds with its example payload, and carries on from the state the answer
 * brings, when it brings one. `drivers` clients share one queue.
 */
export async function driveToClosure(
  api: BenchApi,
  crew: Crew,
  ids: string[],
  options: { drivers: number; deadline: number; tally: DriveTally; onClosed?: () => void },
): Promise<{ open: string[] }> {
  const { tally } = options;
  const actors = [crew.staff, crew.coordinator, ...crew.supervisors];
  const queue: Item[] = ids.map((id) => ({ id, notBefore: 0, lastActor: 0, problems: 0 }));
  const open = new Set(ids);
  const givenUp: string[] = [];

  const read = async (item: Item, actor: Actor): Promise<PathwayView | undefined> => {
    const answer = await api.request(actor, 'GET', `/v1/pathways/${item.id}`);
    tally.reads += 1;
    if (answer.status === 200) {
      tally.readMs.push(answer.ms);
      return answer.body as PathwayView;
    }
    if (answer.status === 503 || answer.status === 429) tally.retried += 1;
    else problem(item, `GET ${answer.status} ${answer.body?.code ?? ''}`);
    return undefined;
  };

  const problem = (item: Item, text: string) => {
    item.problems += 1;
    if (tally.problems.length < 100) tally.problems.push(`${item.id}: ${text}`);
  };

  /** One step: 'closed', 'acted', 'waiting' (nothing to do yet) or 'failed' (try again later). */
  const step = async (item: Item): Promise<'closed' | 'acted' | 'waiting' | 'failed'> => {
    let found: { actor: Actor; action: AvailableAction } | undefined;
    const seen = item.seen;
    item.seen = undefined;
    if (seen?.view.status === 'closed') return 'closed';
    const fromAnswer = seen && routine(seen.view);
    if (seen && fromAnswer) found = { actor: seen.actor, action: fromAnswer };
    for (let k = 0; !found && k < actors.length; k++) {
      const index = (item.lastActor + k) % actors.length;
      const view = await read(item, actors[index]!);
      if (!view) return 'failed';
      if (view.status === 'closed') return 'closed';
      const action = routine(view);
      if (action) {
        found = { actor: actors[index]!, action };
        item.lastActor = index;
      }
    }
    if (!found) return 'waiting';
    const { actor, action } = found;
    const body = { type: action.type, payload: action.example, actionId: randomUUID() };
    for (;;) {
      const answer = await api.request(actor, 'POST', `/v1/pathways/${item.id}/actions`, body);
      if (answer.status === 200) {
        tally.accepted += 1;
        tally.actionMs.push(answer.ms);
        if (answer.body?.state) item.seen = { actor, view: answer.body.state as PathwayView };
        return 'acted';
      }
      if (answer.status === 503 || answer.status === 429) {
        // Retried with the same actionId, as the API asks: applied at most once.
        tally.retried += 1;
        await sleep(200);
        continue;
      }
      if (answer.status === 409 && RACES.includes(answer.body?.reason)) tally.raced += 1;
      else problem(item, `${action.type}: ${answer.status} ${answer.body?.code ?? ''} ${answer.body?.reason ?? ''}`);
      return 'failed';
    }
  };

  const client = async () => {
    while (open.size > 0 && Date.now() < options.deadline) {
      const item = queue.shift();
      if (!item || item.notBefore > Date.now()) {
        if (item) queue.push(item);
        await sleep(20);
        continue;
      }
      const outcome = await step(item);
      if (outcome === 'closed') {
        open.delete(item.id);
        tally.closed += 1;
        options.onClosed?.();
      } else if (item.problems >= MAX_PROBLEMS_PER_PATHWAY) {
        // Left open and reported: the bench goes on with the others.
        open.delete(item.id);
        givenUp.push(item.id);
      } else {
        queue.push({ ...item, notBefore: outcome === 'acted' ? 0 : Date.now() + WAIT_MS });
      }
    }
  };
  await Promise.all(Array.from({ length: options.drivers }, client));
  return { open: [...open, ...givenUp] };
}
