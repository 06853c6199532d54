import { formatBirthDate, type BirthDatePrecision } from '../domain/birth-date.js';
import type { Actor } from '../domain/model.js';
import type { PathwayView } from '../domain/pathway.js';
import type { AccessKind } from './access-log.js';
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
  const { rows } = await db.query<PathwayAccessRow>({
    // Named: prepared once per connection, since every action asks it.
    name: 'pathway-access',
    text: `select p.id, p.status, array(select organisation from pathway_organisations o where o.pathway_id = p.id order by 1) as organisations
       from pathways p where p.id = $1`,
    values: [pathwayId],
  });
  return rows[0];
}

type RecordRow = { givenName: string; familyName: string; patronymic: string | null; birthDate: string; precision: BirthDatePrecision; estimated: boolean };

const RECORD_COLUMNS = `given_name as "givenName", family_name as "familyName", patronymic, to_char(birth_date, 'YYYY-MM-DD') as "birthDate",
            birth_date_precision as precision, birth_date_estimated as estimated`;

function recordOf(record: RecordRow | undefined) {
  if (!record) return undefined;
  const { precision, estimated, ...rest } = record;
  return { ...rest, patronymic: record.patronymic ?? undefined, birthDate: formatBirthDate(record.birthDate, precision), birthDateEstimated: estimated };
}

/**
 * A read of the pathway's state in one statement: its organisations, and, when the reader is one
 * of them or `mayReadAll`, the read logged in the access log and the person's record. Undefined
 * when there is no such pathway.
 */
export async function logReadWithRecord(
  db: Queryable,
  read: { pathwayId: string; actor: Actor; what: AccessKind; requestId: string; mayReadAll: boolean },
): Promise<(PathwayAccessRow & { record?: ReturnType<typeof recordOf>; finalView?: PathwayView }) | undefined> {
  if (!UUID.test(read.pathwayId)) return undefined;
  const { actor } = read;
  const { rows } = await db.query<PathwayAccessRow & { logged: boolean; finalView: PathwayView | null } & RecordRow>({
    // Named: parsed and planned once per connection, not on every read.
    name: 'log-read-with-record',
    text: `with p as (
       select p.id, p.status, p.final_view, array(select organisation from pathway_organisations o where o.pathway_id = p.id order by 1) as organisations
         from pathways p where p.id = $1),
     logged as (
       insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id)
       select id, $2, $3, $4, $5, $6 from p where $4 = any(organisations) or $7
       returning pathway_id)
     select p.id, p.status, p.organisations, l.pathway_id is not null as logged,
            case when l.pathway_id is not null then p.final_view end as "finalView", ${RECORD_COLUMNS}
       from p left join logged l on l.pathway_id = p.id left join people on people.pathway_id = p.id and l.pathway_id is not null`,
    values: [read.pathwayId, actor.id, actor.role, actor.org, read.what, read.requestId, read.mayReadAll],
  });
  const row = rows[0];
  if (!row) return undefined;
  if (!row.logged) return { id: row.id, status: row.status, organisations: row.organisations };
  return { id: row.id, status: row.status, organisations: row.organisations, record: recordOf(row), finalView: row.finalView ?? undefined };
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
