import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import { WORKFLOW_VERSION } from '../../workflows/changes.js';
import { addToVocabulary } from '../db/name-folds.js';
import { inTransaction, type Pool, type Queryable } from '../db/pool.js';
import { copyHiddenName, IdempotencyKeyTaken, insertPathway, pathwaysByIdempotencyKeys } from '../db/pathways.js';
import { recordListAccess } from '../db/access-log.js';
import { recordOfOpening } from '../db/pathway-access.js';
import { openingBatch, openingView } from '../../workflows/opening.js';
import { buildProjection, summarise, type Summary } from '../../workflows/view.js';
import { addFamilyMembers, announceLateMembers, earlierOpenings, startPathway, type EarlierOpening } from './open-start.js';
import { persistBatch } from '../db/audit.js';
import { forActor } from './read.js';
import { ageBandOf, ageOn, type Actor, type Programme } from '../domain/model.js';
import type { NameWord } from '../domain/names.js';
import type { OpenPathway } from '../domain/open.js';
import { childBandChanges, isEstimated, parseBirthDate } from '../domain/birth-date.js';
import type { PathwayInput, PathwayView } from '../domain/pathway.js';
import type { Template } from '../domain/template.js';
import { checkBeforeOpening, recordVerdict, refuseDuplicates, repeatedRows } from './duplicates.js';
import { AppError, validationError, type FieldProblem } from '../errors.js';
import { withConcurrency } from './concurrency.js';

export interface OpenDeps {
  pool: Pool;
  client: Client;
  config: Config;
  templates: ReadonlyMap<Programme, Template>;
}

export interface OpenedPathway {
  id: string;
  /** False when an earlier request with the same Idempotency-Key had opened it. */
  created: boolean;
  /** The person may have a pathway in another organisation: never named here, oversight was told. */
  oversightTold?: true;
  /** With `answersState`, for a pathway this request opened: its state as the opener sees it, and the record; the read is logged. */
  state?: PathwayView & { record: ReturnType<typeof recordOfOpening> };
}

/** The rules new pathways follow (see PathwayInput.rulesVersion). */
export const RULES_VERSION = 3;
/** A baby born this long after the arrival still joins its mother's arrival. */
const BORN_AFTER_ARRIVAL_DAYS = 120;

/** Older than this on arrival is a typing error, not a person. */
const MAX_AGE_YEARS = 120;

/**
 * Whether a programme, operation and phase are the catalogue's (the templates'), as an opening or
 * a transfer names them: the first field at fault under `prefix`. Without an operation, the
 * programme only.
 */
export function catalogueProblem(templates: OpenDeps['templates'], arrival: { programme: string; operation?: string; phase?: string }, prefix: string): FieldProblem | undefined {
  const template = templates.get(arrival.programme);
  const oneOf = (field: string, options: string[]): FieldProblem => ({ path: `${prefix}${field}`, message: `must be one of ${options.join(', ')}`, code: 'not-one-of', params: { options } });
  if (!template) return oneOf('programme', [...templates.keys()]);
  if (arrival.operation === undefined) return undefined;
  const operation = template.operations.find((o) => o.name === arrival.operation);
  if (!operation) return oneOf('operation', template.operations.map((o) => o.name));
  if (arrival.phase === undefined || operation.phases?.includes(arrival.phase)) return undefined;
  return operation.phases ? oneOf('phase', operation.phases) : { path: `${prefix}phase`, message: 'must be left out: this operation had no phases', code: 'no-phases' };
}

/** Rules between fields that a schema alone cannot express. */
function problemsOf(request: OpenPathway, templates: OpenDeps['templates'], prefix: string): FieldProblem[] {
  const at = (path: string) => `${prefix}${path}`;
  const unknown = catalogueProblem(templates, request, prefix);
  if (unknown) return [unknown];
  const template = templates.get(request.programme)!;
  const { person } = request;
  const birth = parseBirthDate(person.birthDate, request.arrivalDate).date;
  if (birth > request.arrivalDate) {
    // A baby born during quarantine joins the pathways of the arrival, with the mother.
    const latest = new Date(Date.parse(`${request.arrivalDate}T00:00:00Z`) + BORN_AFTER_ARRIVAL_DAYS * 86_400_000).toISOString().slice(0, 10);
    if (birth > latest || person.arrivedWith !== 'mother') {
      return [{ path: at('person.birthDate'), message: `must not be after the arrival date, except for a baby born with its mother within ${BORN_AFTER_ARRIVAL_DAYS} days of it`, code: 'birth-after-arrival', params: { days: BORN_AFTER_ARRIVAL_DAYS } }];
    }
    if (birth > new Date().toISOString().slice(0, 10)) return [{ path: at('person.birthDate'), message: 'must not be in the future', code: 'date-in-future' }];
  }
  const age = Math.max(0, ageOn(birth, request.arrivalDate));
  if (age > MAX_AGE_YEARS) {
    return [{ path: at('person.birthDate'), message: `must be at most ${MAX_AGE_YEARS} years before the arrival date`, code: 'too-old', params: { max: MAX_AGE_YEARS } }];
  }
  const isChild = age < 18;
  const problems: FieldProblem[] = [];
  const range = template.ageRange;
  if (range && (age < range.min || age > range.max)) {
    problems.push({ path: at('person.birthDate'), message: `programme ${request.programme} takes people aged ${range.min} to ${range.max} on arrival; this person is ${age}`, code: 'age-out-of-range', params: { programme: request.programme, min: range.min, max: range.max, age } });
  } else if (!range && !isChild && template.population === 'children') {
    problems.push({ path: at('person.birthDate'), message: `programme ${request.programme} takes children only; this person is an adult on arrival`, code: 'children-only', params: { programme: request.programme } });
  }
  if (isChild && (!person.arrivedWith || person.arrivedWith === 'adult')) {
    problems.push({ path: at('person.arrivedWith'), message: 'a child must have arrivedWith: mother, siblings, unaccompanied or orphan', code: 'child-needs-companion', params: { options: ['mother', 'siblings', 'unaccompanied', 'orphan'] } });
  }
  // On a children's programme, an 18-year-old came with the other children, not as an adult.
  if (!isChild && template.population !== 'children' && person.arrivedWith && person.arrivedWith !== 'adult') {
    problems.push({ path: at('person.arrivedWith'), message: 'an adult arrives as adult', code: 'adult-arrives-as-adult' });
  }
  return problems;
}

/** What opening these requests would refuse beyond their schema: every request's problems, not the first one's. */
export function openingProblems(templates: OpenDeps['templates'], requests: { request: OpenPathway; fieldPrefix: string }[]): FieldProblem[] {
  const problems = requests.flatMap(({ request, fieldPrefix }) => problemsOf(request, templates, fieldPrefix));
  return problems.length ? problems : repeatedRows(requests);
}

/** What the workflow of a new pathway starts with: categories of the person, never their record. */
export function workflowInput(deps: Pick<OpenDeps, 'config' | 'templates'>, id: string, request: OpenPathway, actor: Actor, requestId?: string, transferredFrom?: string): PathwayInput {
  const { person } = request;
  const birth = parseBirthDate(person.birthDate, request.arrivalDate);
  const age = Math.max(0, ageOn(birth.date, request.arrivalDate));
  const estimated = isEstimated(person.birthDateEstimated, birth.precision);
  const bornAfterArrival = birth.date > request.arrivalDate;
  return {
    pathwayId: id,
    programme: request.programme,
    operation: request.operation,
    phase: request.phase,
    arrivalDate: request.arrivalDate,
    familyGroupId: request.familyGroupId,
    organisations: [actor.org],
    person: {
      sex: person.sex,
      ageBand: ageBandOf(age),
      isChild: age < 18,
      arrivedWith: person.arrivedWith ?? 'adult',
      hasIdentityDocument: person.hasIdentityDocument,
      hasBirthCertificate: person.hasBirthCertificate,
      ...(estimated ? { birthDateEstimated: true } : {}),
      ...(bornAfterArrival ? { bornAfterArrival: true } : {}),
    },
    rulesVersion: RULES_VERSION,
    workflowVersion: WORKFLOW_VERSION,
    ...(age < 18 ? { ageBandChanges: childBandChanges(birth.date, request.arrivalDate) } : {}),
    template: deps.templates.get(request.programme)!,
    clockScale: deps.config.clockScale,
    waitDeadlineMs: deps.config.waitDeadlineMs,
    openedBy: actor,
    requestId,
    ...(transferredFrom ? { transferredFrom } : {}),
  };
}


/**
 * Opens pathways: the person records and pathway rows are written in one transaction, then one
 * workflow starts per person. The same Idempotency-Key with the same body returns the same
 * pathways and opens nothing twice, even when the first attempt failed half-way.
 */
export async function openPathways(
  deps: OpenDeps,
  actor: Actor,
  requests: { request: OpenPathway; fieldPrefix: string }[],
  options: { idempotencyKey?: string; requestId?: string; transferredFrom?: string; cohort?: boolean; answersState?: boolean } = {},
): Promise<OpenedPathway[]> {
  const problems = openingProblems(deps.templates, requests);
  if (problems.length) throw validationError(problems);

  const digest = createHash('sha256').update(JSON.stringify(requests.map((r) => r.request))).digest('hex');
  const keys = options.idempotencyKey ? requests.map((_, i) => `${actor.org}:${options.idempotencyKey}:${i}`) : undefined;
  /** What an earlier request with the same key opened, answered again; undefined when none did. */
  const earlier = async (db: Queryable): Promise<OpenedPathway[] | undefined> => {
    const existing = keys ? await pathwaysByIdempotencyKeys(db, keys) : [];
    if (!existing.length) return undefined;
    if (existing.length !== keys!.length || existing.some((row) => row.digest !== digest)) {
      throw new AppError('idempotency-conflict', 'This Idempotency-Key was already used for a different request.');
    }
    return existing.map((row) => ({ id: row.id, created: false, ...(row.oversightTold ? { oversightTold: true as const } : {}) }));
  };
  // A new pathway's workflow opens it at this time, so its first batch is known here (`openingBatch`).
  const openedAt = Date.now();
  /** Each pathway this request opens, as its workflow starts, and the view its opening wrote. */
  const prepared = new Map<string, { input: PathwayInput; view?: PathwayView; summary: Summary }>();
  const write = () =>
    inTransaction(deps.pool, async (db) => {
      prepared.clear();
      const replayed = await earlier(db);
      if (replayed) return replayed;
      // A transfer continues the same person: nobody to compare them with.
      const verdict = options.transferredFrom ? undefined : await checkBeforeOpening(db, actor, requests);
      // A retry sent while the first attempt was committing waited for it in the check: its pathways, not duplicates of them.
      const meanwhile = verdict && (await earlier(db));
      if (meanwhile) return meanwhile;
      if (verdict?.blocking.length) return verdict;
      const opened: OpenedPathway[] = [];
      const words: NameWord[] = [];
      for (const [i, { request }] of requests.entries()) {
        const id = randomUUID();
        const input = workflowInput(deps, id, request, actor, options.requestId, options.transferredFrom);
        words.push(...(await insertPathway(db, { input, person: request.person, idempotencyKey: keys?.[i], digest })));
        if (options.transferredFrom) await copyHiddenName(db, id, options.transferredFrom);
        opened.push({ id, created: true, ...(verdict?.elsewhere.some((e) => e.row === i) ? { oversightTold: true as const } : {}) });
      }
      if (verdict) await recordVerdict(db, actor, verdict, opened.map((o) => o.id));
      await addToVocabulary(db, words);
      // A transfer's pathway is opened by its workflow, as before; any other's opening is written here.
      if (!options.transferredFrom) await writeOpenings(db, opened.map((o, i) => ({ ...workflowInput(deps, o.id, requests[i]!.request, actor, options.requestId), openedAt, openingWritten: true })));
      // The opener is shown each new pathway's state: logged with the opening, so never shown unlogged.
      if (options.answersState) await recordListAccess(db, { pathways: opened.map((o) => ({ id: o.id, via: 'organisation' })), actor, what: 'state', requestId: options.requestId ?? '' });
      return opened;
    });
  // A concurrent request with the same key committed first: this one then answers what it opened.
  const written = await write().catch((error: unknown) => {
    if (error instanceof IdempotencyKeyTaken) return write();
    throw error;
  });
  // Nothing was written: the answer names the pathways the caller may mean.
  if (!Array.isArray(written)) return refuseDuplicates(deps.pool, actor, written, options.requestId ?? '', requests.length > 1 || options.cohort === true);
  const rows = written;
  // A retry of an opening written before (its workflow perhaps never started): started as that one was written.
  const written0 = await earlierOpenings(deps.pool, rows.filter((row) => !row.created).map((row) => row.id));
  const together = new Set(rows.map((row) => row.id));
  const inputs = rows.map((row, i): PathwayInput => {
    const ready = prepared.get(row.id)?.input;
    if (ready) return ready;
    const input = workflowInput(deps, row.id, requests[i]!.request, actor, options.requestId, options.transferredFrom);
    if (row.created) return { ...input, openedAt };
    const earlier = written0.get(row.id);
    return earlier ? rewritten(input, earlier, together) : input;
  });
  // Those written in the transaction, or before it with a view, have their family group already.
  await addFamilyMembers(deps.pool, inputs.filter((input) => !prepared.has(input.pathwayId) && input.familyMembers === undefined));
  await withConcurrency(inputs, 16, (input) => startPathway(deps, input, prepared.get(input.pathwayId)?.summary ?? openingSummary(input)));
  await announceLateMembers(deps, inputs).catch(() => {
    throw new AppError('unavailable', 'The family groups could not be completed; retry later with the same Idempotency-Key.', { retryAfterSeconds: 5 });
  });
  if (!options.answersState) return rows;
  return rows.map((row, i) => {
    if (!row.created) return row;
    const view = forActor(prepared.get(row.id)?.view ?? openingView({ ...inputs[i]!, openedAt }), actor);
    return { ...row, state: { ...view, record: recordOfOpening(requests[i]!.request.person, inputs[i]!.arrivalDate) } };
  });

  /**
   * Each opening's batch (its entries, projection and view) in the opening's transaction, with the
   * family group as it stands in it: the workflow takes the same steps and writes nothing for them.
   * Members who commit later are told by `announceLateMembers`, as before.
   */
  async function writeOpenings(db: Queryable, openings: (PathwayInput & { openedAt: number })[]) {
    await addFamilyMembers(db, openings);
    for (const input of openings) {
      const { state, entries } = openingBatch(input);
      const projection = buildProjection(input, state, input.openedAt);
      await persistBatch(db, { pathwayId: input.pathwayId, entries, projection });
      prepared.set(input.pathwayId, { input, view: projection.view, summary: summarise(input, state, input.openedAt) });
    }
  }
}

/**
 * The input of a pathway whose opening an earlier attempt wrote: at that attempt's time, with the
 * family group its written view shows (so the workflow holds what PostgreSQL holds, and members
 * who came later are announced to it), taking the written entries as its own.
 */
function rewritten(input: PathwayInput, earlier: EarlierOpening, together: Set<string>): PathwayInput {
  if (input.transferredFrom) return { ...input, openedAt: earlier.openedAt };
  const members = earlier.members?.map((m) => ({ pathwayId: m.pathwayId, isChild: m.isChild, ...(together.has(m.pathwayId) ? {} : { openedEarlier: true }) }));
  return { ...input, openedAt: earlier.openedAt, openingWritten: true, ...(input.familyGroupId && members ? { familyMembers: members } : {}) };
}

/** The search attributes of a written opening's state; undefined (intake) for a pathway its workflow opens. */
function openingSummary(input: PathwayInput): Summary | undefined {
  if (!input.openingWritten || input.openedAt === undefined) return undefined;
  return summarise(input, openingBatch({ ...input, openedAt: input.openedAt }).state, input.openedAt);
}
