import { formatBirthDate, type BirthDatePrecision } from '../domain/birth-date.js';
import type { Queryable } from './pool.js';

export interface PathwayAccessRow {
  id: string;
  status: string;
  organisations: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The pathway's organisations and status, or undefined when there is no such pathway. */
export async function pathwayAccess(db: Queryable, pathwayId: string): Promise<PathwayAccessRow | undefined> {
  if (!UUID.test(pathwayId)) return undefined;
  const { rows } = await db.query<PathwayAccessRow>(
    `select p.id, p.status, array(select organisation from pathway_organisations o where o.pathway_id = p.id order by 1) as organisations
       from pathways p where p.id = $1`,
    [pathwayId],
  );
  return rows[0];
}

/** The person's record: personal data, for the people working on the pathway. */
export async function personRecord(db: Queryable, pathwayId: string) {
  const { rows } = await db.query<{ givenName: string; familyName: string; patronymic: string | null; birthDate: string; precision: BirthDatePrecision; estimated: boolean }>(
    `select given_name as "givenName", family_name as "familyName", patronymic, to_char(birth_date, 'YYYY-MM-DD') as "birthDate",
            birth_date_precision as precision, birth_date_estimated as estimated
       from people where pathway_id = $1`,
    [pathwayId],
  );
  const record = rows[0];
  if (!record) return undefined;
  const { precision, estimated, ...rest } = record;
  return { ...rest, patronymic: record.patronymic ?? undefined, birthDate: formatBirthDate(record.birthDate, precision), birthDateEstimated: estimated };
}

/** Which of these pathways the organisation may see. */
export async function pathwaysOfOrganisation(db: Queryable, pathwayIds: string[], organisation: string): Promise<Set<string>> {
  const ids = pathwayIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(
    'select distinct pathway_id as id from pathway_organisations where pathway_id = any($1::uuid[]) and organisation = $2',
    [ids, organisation],
  );
  return new Set(rows.map((row) => row.id));
}
