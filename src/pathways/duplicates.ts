import { z } from 'zod';
import { recordListAccess } from '../db/access-log.js';
import { lockCandidates, possibleMatches, raiseAlerts, recordDifferentPeople, type Candidate, type Match } from '../db/duplicates.js';
import type { Pool, Queryable } from '../db/pool.js';
import { birthRange, parseBirthDate } from '../domain/birth-date.js';
import type { Actor } from '../domain/model.js';
import { foldName } from '../domain/names.js';
import type { OpenPathway } from '../domain/open.js';
import { ShownPerson } from '../domain/person-shown.js';
import { AppError, type FieldProblem } from '../errors.js';

/** A pathway the person being opened may already have, as a 409 `possible-duplicate` names it. */
export const PossibleDuplicate = z
  .object({
    row: z.number().int().optional().describe('In a cohort: the row (from 0) that may be this person'),
    pathwayId: z.string(),
    person: ShownPerson,
    programme: z.string(),
    operation: z.string(),
    status: z.string(),
    currentStage: z.string(),
    openedAt: z.string(),
  })
  .meta({ id: 'PossibleDuplicate' });
export type PossibleDuplicate = z.infer<typeof PossibleDuplicate>;

const today = () => new Date().toISOString().slice(0, 10);

/** What a duplicate check compares of a person about to be opened. */
export function candidateOf(request: OpenPathway): Candidate {
  const { person } = request;
  const birth = parseBirthDate(person.birthDate, request.arrivalDate);
  const [earliest, latest] = birthRange(birth.date, birth.precision, person.birthDateEstimated === true);
  return {
    sex: person.sex,
    given: foldName(person.givenName),
    family: foldName(person.familyName),
    patronymic: person.patronymic ? foldName(person.patronymic) : null,
    earliest,
    latest,
  };
}

/** A person as written, for finding one written twice in one request: twins may fold alike (Hasan, Husayn), never spell alike. */
const asWritten = ({ person }: OpenPathway) =>
  JSON.stringify([person.givenName, person.familyName, person.patronymic ?? '', person.sex, person.birthDate].map((part) => part.toLocaleLowerCase().replace(/\s+/g, ' ')));

/** The row a field prefix names, as people count rows (the first is 1). */
const rowOf = (fieldPrefix: string) => Number(/people\.(\d+)\./.exec(fieldPrefix)?.[1] ?? 0) + 1;

/**
 * Rows of one request written exactly alike (name, sex, birth date): the same person twice. The
 * later row is at fault, naming the earlier as the console counts rows.
 */
export function repeatedRows(requests: { request: OpenPathway; fieldPrefix: string }[]): FieldProblem[] {
  const first = new Map<string, string>();
  return requests.flatMap(({ request, fieldPrefix }) => {
    const key = asWritten(request);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, fieldPrefix);
    return earlier === undefined ? [] : [{ path: `${fieldPrefix}person`, message: `is written exactly as row ${rowOf(earlier)} (name, sex and birth date): the same person twice; remove one of them`, code: 'same-person-twice' as const, params: { row: rowOf(earlier) } }];
  });
}

/** What the check found for the requests of one opening. */
export interface DuplicateVerdict {
  /** Pathways of the caller's organisation, not confirmed as another person: the opening is refused. */
  blocking: (Match & { row: number })[];
  /** Confirmed different: recorded once the pathways exist. */
  confirmed: { row: number; differentFrom: string }[];
  /** Other organisations' pathways: never named to the caller, told to oversight. */
  elsewhere: { row: number; otherPathwayId: string }[];
}

/** Compares each request with every pathway there is; `differentFrom` lets through the pathways it names. */
export async function checkDuplicates(db: Queryable, actor: Actor, requests: { request: OpenPathway & { differentFrom?: string[] } }[]): Promise<DuplicateVerdict> {
  const matches = await possibleMatches(db, requests.map(({ request }) => candidateOf(request)), today());
  const verdict: DuplicateVerdict = { blocking: [], confirmed: [], elsewhere: [] };
  for (const match of matches) {
    const row = match.candidate;
    if (!match.organisations.includes(actor.org)) verdict.elsewhere.push({ row, otherPathwayId: match.pathwayId });
    else if (requests[row]!.request.differentFrom?.includes(match.pathwayId)) verdict.confirmed.push({ row, differentFrom: match.pathwayId });
    else verdict.blocking.push({ ...match, row });
  }
  return verdict;
}

/** The 409 a blocking verdict answers, after logging that the caller saw the pathways it names. */
export async function refuseDuplicates(pool: Pool, actor: Actor, verdict: DuplicateVerdict, requestId: string, cohort: boolean): Promise<never> {
  const ids = [...new Set(verdict.blocking.map((m) => m.pathwayId))];
  await recordListAccess(pool, { pathways: ids.map((id) => ({ id, via: 'organisation' as const })), actor, what: 'duplicates', requestId });
  const duplicates: PossibleDuplicate[] = verdict.blocking.map(({ row, pathwayId, person, programme, operation, status, currentStage, openedAt }) => ({
    ...(cohort ? { row } : {}), pathwayId, person, programme, operation, status, currentStage, openedAt,
  }));
  const rows = new Set(verdict.blocking.map((m) => m.row));
  throw new AppError(
    'possible-duplicate',
    cohort
      ? `${rows.size} of these people may already have a pathway of your organisation. Open the one that exists, or confirm for each row that it is a different person (differentFrom).`
      : 'This person may already have a pathway of your organisation. Open the one that exists, or confirm it is a different person (differentFrom).',
    { duplicates },
  );
}

/** Within the opening's transaction: waits for any opening of the same names, then checks. */
export async function checkBeforeOpening(db: Queryable, actor: Actor, requests: { request: OpenPathway }[]): Promise<DuplicateVerdict> {
  await lockCandidates(db, requests.map(({ request }) => candidateOf(request)));
  return checkDuplicates(db, actor, requests);
}

/** Once the pathways exist: the confirmations with who gave them, and oversight told of the rest. */
export async function recordVerdict(db: Queryable, actor: Actor, verdict: DuplicateVerdict, ids: string[]): Promise<void> {
  await recordDifferentPeople(db, verdict.confirmed.map((c) => ({ pathwayId: ids[c.row]!, differentFrom: c.differentFrom })), actor);
  await raiseAlerts(db, verdict.elsewhere.map((e) => ({ pathwayId: ids[e.row]!, otherPathwayId: e.otherPathwayId })));
}
