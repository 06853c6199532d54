import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor, Programme } from '../../../src/domain/model.js';
import type { AvailableAction, PathwayView } from '../../../src/domain/pathway.js';
import { distinctSurname } from '../../helpers/distinct-names.js';
import type { ApiClient } from './http.js';

export const ARRIVAL = '2021-03-16';
const ORG = 'mlsp';

/** Every personal value the caseload sends, so the cluster's logs can be searched for them. */
export const GIVEN_NAMES = ['Gulnarakhon', 'Shahnozabonu', 'Mukhlisakhon', 'Jasurbekjon', 'Oybekjon', 'Zilolakhon'];
export const FAMILY_NAMES = ['Abdullayevaya', 'Ismoilovaya', 'Kholmatovaya', 'Ergashevaya'];

/** How each programme's arrivals come: an operation and who arrives together. */
const ARRIVALS: Record<string, { operation: string; phase?: string; mother: boolean }> = {
  KZ: { operation: 'Zhusan', phase: '1', mother: true },
  UZ: { operation: 'Mehr', phase: '1', mother: true },
  KG: { operation: 'Meerim', mother: false },
  TJ: { operation: 'Iraq', mother: false },
};

function birthDate(age: number, n: number): string {
  return `${2021 - age}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
}

/**
 * One cohort per programme, in families of four: a mother and three children (KZ, UZ), or three
 * siblings (KG, TJ). `perProgramme` is rounded up to whole families.
 */
export function cohorts(slice: string, perProgramme: number, programmes = Object.keys(ARRIVALS) as Programme[]) {
  return programmes.map((programme) => {
    const { operation, phase, mother } = ARRIVALS[programme]!;
    const size = mother ? 4 : 3;
    const people = Array.from({ length: Math.ceil(perProgramme / size) }, (_, f) =>
      Array.from({ length: size }, (_, m) => {
        const n = f * size + m;
        const adult = mother && m === 0;
        const age = adult ? 31 : 3 + ((n * 5) % 14);
        return {
          familyGroupId: `${slice}-${programme}-${f}`,
          person: {
            givenName: GIVEN_NAMES[n % GIVEN_NAMES.length]!,
            // A family's own second name: each slice's families are otherwise the same people again.
            familyName: `${FAMILY_NAMES[f % FAMILY_NAMES.length]!} ${distinctSurname(`${slice}-${programme}-${f}`)}`,
            sex: adult || n % 2 ? ('female' as const) : ('male' as const),
            birthDate: birthDate(age, n),
            arrivedWith: adult ? ('adult' as const) : mother ? ('mother' as const) : ('siblings' as const),
          },
        };
      }),
    ).flat();
    return { programme, operation, ...(phase ? { phase } : {}), arrivalDate: ARRIVAL, people };
  });
}

/** What callers were told was accepted: pathway → actionId → the version the action made. */
export type Accepted = Map<string, Map<string, { type: string; version: number }>>;

/** The people of one client: staff record, two supervisors so that the four-eyes rule can be met. */
export interface Crew {
  coordinator: Actor;
  staff: Actor;
  supervisors: [Actor, Actor];
  token(actor: Actor): Promise<string>;
}

export function crew(n: number, sign: (actor: Actor) => Promise<string>): Crew {
  const cache = new Map<string, Promise<string>>();
  return {
    coordinator: { id: `coordinator-${n}`, role: 'coordinator', org: ORG },
    staff: { id: `staff-${n}`, role: 'staff', org: ORG },
    supervisors: [
      { id: `supervisor-${n}a`, role: 'supervisor', org: ORG },
      { id: `supervisor-${n}b`, role: 'supervisor', org: ORG },
    ],
    token(actor) {
      if (!cache.has(actor.id)) cache.set(actor.id, sign(actor));
      return cache.get(actor.id)!;
    },
  };
}

/** Opens the slice's cohorts at once, retrying each with its Idempotency-Key until it is answered for good. */
export async function openCohorts(api: ApiClient, people: Crew, bodies: ReturnType<typeof cohorts>): Promise<string[]> {
  const opened = await Promise.all(
    bodies.map(async (body) => {
      const key = `${body.people[0]!.familyGroupId}-cohort`;
      const answer = await api.request(() => people.token(people.coordinator), 'POST', '/v1/cohorts', body, { 'idempotency-key': key });
      if (answer.status !== 201 && answer.status !== 200) throw new Error(`cohort refused: ${answer.status} ${JSON.stringify(answer.body)}`);
      return (answer.body.pathways as { id: string }[]).map((p) => p.id);
    }),
  );
  return opened.flat();
}

const firstRoutine = (view: PathwayView): AvailableAction | undefined => view.availableActions.find((a) => a.routine);

/** A pathway in the clients' shared queue, with the last state a client was given for it. */
interface Item {
  id: string;
  notBefore: number;
  seen?: { actor: Actor; view: PathwayView };
  reads: number;
}

/**
 * One step of a pathway, through availableActions only: the state the last action answered with,
 * or else a read as one of the supervisors (in turn, for the four-eyes rule); the first routine
 * action is sent, as staff when staff may, retrying with the same actionId until the service
 * answers for good.
 */
async function step(api: ApiClient, people: Crew, item: Item, accepted: Accepted, problems: string[]): Promise<'closed' | 'acted' | 'waiting'> {
  let seen = item.seen;
  item.seen = undefined;
  // The answer to the closing action says so: no need to read a closed pathway again.
  if (seen?.view.status === 'closed') return 'closed';
  if (!seen || !firstRoutine(seen.view)) {
    const actor = people.supervisors[item.reads++ % 2]!;
    const read = await api.request(() => people.token(actor), 'GET', `/v1/pathways/${item.id}`);
    if (read.status !== 200) {
      problems.push(`GET ${item.id}: ${read.status} ${read.body?.code}`);
      return 'closed';
    }
    seen = { actor, view: read.body as PathwayView };
  }
  if (seen.view.status === 'closed') return 'closed';
  const action = firstRoutine(seen.view);
  if (!action) return 'waiting';
  const staffMay = action.roles.includes('staff') && !action.excludedActors?.includes(people.staff.id);
  const sender = staffMay ? people.staff : seen.actor;
  const body = { type: action.type, payload: action.example, actionId: randomUUID() };
  const answer = await api.request(() => people.token(sender), 'POST', `/v1/pathways/${item.id}/actions`, body);
  if (answer.status === 200) {
    if (!accepted.has(item.id)) accepted.set(item.id, new Map());
    accepted.get(item.id)!.set(body.actionId, { type: action.type, version: answer.body.version });
    if (answer.body.state) item.seen = { actor: sender, view: answer.body.state };
  } else if (!(answer.status === 409 && ['wrong-stage', 'not-due'].includes(answer.body?.reason))) {
    // Time may move a pathway on between reading and acting; anything else is a finding.
    problems.push(`${action.type} on ${item.id}: ${answer.status} ${answer.body?.code} ${answer.body?.reason ?? ''} (attempt ${answer.attempts})`);
  }
  return 'acted';
}

/** How long a pathway that waits for time (or for its family) is left alone before it is read again. */
const WAIT_MS = 1000;

/** Drives every pathway to closure with one client per crew, all sharing one queue. */
export async function driveAll(
  api: ApiClient,
  crews: Crew[],
  ids: string[],
  accepted: Accepted,
  options: { deadline: number; /** Kept up to date: the pathways not yet closed. */ open?: Set<string> },
): Promise<{ problems: string[]; open: string[] }> {
  const queue: Item[] = ids.map((id) => ({ id, notBefore: 0, reads: 0 }));
  const open = options.open ?? new Set();
  for (const id of ids) open.add(id);
  const problems: string[] = [];
  const client = async (people: Crew) => {
    while (open.size > 0 && Date.now() < options.deadline) {
      const item = queue.shift();
      if (!item || item.notBefore > Date.now()) {
        if (item) queue.push(item);
        await sleep(50);
        continue;
      }
      const outcome = await step(api, people, item, accepted, problems);
      if (outcome === 'closed') open.delete(item.id);
      else queue.push({ ...item, notBefore: outcome === 'waiting' ? Date.now() + WAIT_MS : 0 });
    }
  };
  await Promise.all(crews.map(client));
  return { problems, open: [...open] };
}

export function acceptedCount(accepted: Accepted, ids?: string[]): number {
  return (ids ?? [...accepted.keys()]).reduce((sum, id) => sum + (accepted.get(id)?.size ?? 0), 0);
}
