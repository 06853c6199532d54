import type { Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import { formatBirthDate, type BirthDatePrecision } from '../domain/birth-date.js';
import type { Actor, PersonCategories, Programme } from '../domain/model.js';
import type { OpenPathway } from '../domain/open.js';
import type { PathwayInput } from '../domain/pathway.js';
import type { Template } from '../domain/template.js';
import type { Pool } from '../db/pool.js';
import { AppError, validationError } from '../errors.js';
import { openingProblems, openPathways, workflowInput } from './open.js';

/** What a pathway hands over when a transfer is accepted. */
export interface TransferOpening {
  pathwayId: string;
  programme: string;
  operation: string;
  arrivalDate: string;
  /** The phase in the new operation, or the pathway's own when the person stays in the same operation. */
  phase?: string;
  /** Today's categories: papers issued on the old pathway count on the new one. */
  person: Pick<PersonCategories, 'hasIdentityDocument' | 'hasBirthCertificate' | 'arrivedWith'>;
  acceptedBy: Actor;
}

type Deps = { pool: Pool; config: Config; templates: ReadonlyMap<Programme, Template> };

/** A transfer that cannot go ahead as it was asked: retrying the same opening never helps. */
class CannotContinue extends Error {
  override name = 'CannotContinue';
}

/**
 * Why the receiving side cannot take the person, in terms that go to the workflow and the audit
 * trail: which of the person's fields the programme refuses, never their values (an age, a date).
 * Undefined for a failure worth retrying (PostgreSQL or Temporal away).
 */
export function transferRefusal(error: unknown, programme: string): string | undefined {
  if (error instanceof CannotContinue) return error.message;
  if (!(error instanceof AppError)) return undefined;
  if (error.code === 'validation-failed') {
    const fields = [...new Set((error.extras.fields ?? []).map((f) => f.path))];
    return `Programme ${programme} cannot take this person: ${fields.length ? `${fields.join(', ')} outside what its template accepts` : 'refused'}.`;
  }
  if (error.code === 'idempotency-conflict') return 'The new pathway could not be opened: its key was already used for another pathway.';
  return undefined;
}

/** The opening the receiving programme is asked for: the person's record as PostgreSQL holds it. */
async function requestFor(pool: Pool, t: TransferOpening): Promise<OpenPathway> {
  const { rows } = await pool.query<{ given: string; family: string; patronymic: string | null; birth: string; precision: BirthDatePrecision; estimated: boolean; sex: 'female' | 'male' }>(
    `select given_name as given, family_name as family, patronymic, to_char(birth_date, 'YYYY-MM-DD') as birth,
            birth_date_precision as precision, birth_date_estimated as estimated, p.sex
       from people join pathways p on p.id = people.pathway_id where people.pathway_id = $1`,
    [t.pathwayId],
  );
  const record = rows[0];
  if (!record) throw new CannotContinue('The pathway has no person record to continue from.');
  return {
    programme: t.programme,
    operation: t.operation,
    ...(t.phase ? { phase: t.phase } : {}),
    arrivalDate: t.arrivalDate,
    person: {
      givenName: record.given,
      familyName: record.family,
      ...(record.patronymic ? { patronymic: record.patronymic } : {}),
      sex: record.sex,
      birthDate: formatBirthDate(record.birth, record.precision),
      ...(record.estimated ? { birthDateEstimated: true } : {}),
      arrivedWith: t.person.arrivedWith,
      hasIdentityDocument: t.person.hasIdentityDocument,
      hasBirthCertificate: t.person.hasBirthCertificate,
    },
  };
}

/**
 * The input of the pathway that continues `pathwayId`, under the id its workflow chose, once the
 * receiving programme takes the person as an opening would. Writes nothing: the workflow starts
 * the new pathway itself, and that one writes its own row, copying the person's record.
 */
export async function prepareTransferred(deps: Deps, t: TransferOpening & { newPathwayId: string }): Promise<PathwayInput> {
  const request = await requestFor(deps.pool, t);
  const problems = openingProblems(deps.templates, [{ request, fieldPrefix: '' }]);
  if (problems.length) throw validationError(problems);
  return { ...workflowInput(deps, t.newPathwayId, request, t.acceptedBy, undefined, t.pathwayId), writesOwnRow: true };
}

/**
 * How pathways that accepted a transfer before it was prepared that way open the new pathway: as
 * an opening from the API, keyed in the accepting organisation's key space (kept so that a retry
 * of such an opening finds what an earlier attempt wrote).
 */
export async function openTransferred(deps: Deps & { client: Client }, t: TransferOpening): Promise<string> {
  const request = await requestFor(deps.pool, t);
  const [opened] = await openPathways(deps, t.acceptedBy, [{ request, fieldPrefix: '' }], {
    idempotencyKey: `transfer-${t.pathwayId}`,
    transferredFrom: t.pathwayId,
  });
  return opened!.id;
}
