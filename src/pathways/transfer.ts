import type { Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import { formatBirthDate, type BirthDatePrecision } from '../domain/birth-date.js';
import type { Actor, PersonCategories, Programme } from '../domain/model.js';
import type { OpenPathway } from '../domain/open.js';
import type { Template } from '../domain/template.js';
import type { Pool } from '../db/pool.js';
import { AppError } from '../errors.js';
import { openPathways } from './open.js';

/** What a pathway hands over when a transfer is accepted. */
export interface TransferOpening {
  pathwayId: string;
  programme: string;
  operation: string;
  arrivalDate: string;
  /** Kept when the person stays in the same operation. */
  phase?: string;
  /** Today's categories: papers issued on the old pathway count on the new one. */
  person: Pick<PersonCategories, 'hasIdentityDocument' | 'hasBirthCertificate' | 'arrivedWith'>;
  acceptedBy: Actor;
}

/**
 * Why the receiving programme cannot take the person, in terms that go to the workflow and the
 * audit trail: which of the person's fields it refuses, never their values (an age, a date).
 * Undefined for a failure worth retrying.
 */
export function transferRefusal(error: unknown, programme: string): string | undefined {
  if (!(error instanceof AppError) || error.code !== 'validation-failed') return undefined;
  const fields = [...new Set((error.extras.fields ?? []).map((f) => f.path))];
  return `Programme ${programme} cannot take this person: ${fields.length ? `${fields.join(', ')} outside what its template accepts` : 'refused'}.`;
}

/**
 * Opens the pathway that continues `pathwayId`, in the accepting organisation, with the person's
 * record copied. Idempotent: the same transfer always answers the same new pathway.
 */
export async function openTransferred(
  deps: { pool: Pool; client: Client; config: Config; templates: ReadonlyMap<Programme, Template> },
  t: TransferOpening,
): Promise<string> {
  const { rows } = await deps.pool.query<{ given: string; family: string; patronymic: string | null; birth: string; precision: BirthDatePrecision; estimated: boolean; sex: 'female' | 'male' }>(
    `select given_name as given, family_name as family, patronymic, to_char(birth_date, 'YYYY-MM-DD') as birth,
            birth_date_precision as precision, birth_date_estimated as estimated, p.sex
       from people join pathways p on p.id = people.pathway_id where people.pathway_id = $1`,
    [t.pathwayId],
  );
  const record = rows[0];
  if (!record) throw new Error(`pathway ${t.pathwayId} has no person record`);
  const request: OpenPathway = {
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
  const [opened] = await openPathways(deps, t.acceptedBy, [{ request, fieldPrefix: '' }], {
    idempotencyKey: `transfer-${t.pathwayId}`,
    transferredFrom: t.pathwayId,
  });
  return opened!.id;
}
