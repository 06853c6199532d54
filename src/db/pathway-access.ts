import { formatBirthDate, isEstimated, parseBirthDate, type BirthDatePrecision } from '../domain/birth-date.js';
import type { PersonRecord } from '../domain/open.js';
import type { Actor } from '../domain/model.js';
import type { PathwayView } from '../domain/pathway.js';
import type { AccessKind, AccessVia } from './access-log.js';
import type { Queryable } from './pool.js';

export interface PathwayAccessRow {
  id: string;
  status: string;
  programme: string;
  operation: string;
  organisations: string[];
  /** Stages referred to the reader's organisation (pending or accepted) while the pathway is open. */
  referredStages: string[];
  /** A transfer to the reader's organisation awaits its answer. */
  transferOffered: boolean;
  /** The reader's unexpired emergency access to it, if any: granted to this person in this role. */
  emergencyAccessId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything that decides whether $2 (id) of $3 (organisation) as $4 (role) may see pathway p (each member of a family group too). */
export const ACCESS_COLUMNS = `p.id, p.status, p.programme, p.operation, array(select organisation from pathway_organisations o where o.pathway_id = p.id order by 1) as organisations,
       array(select s.stage from pathway_shares s where s.pathway_id = p.id and s.kind = 'referral' and s.to_org = $3
              and s.status in ('pending', 'accepted') and p.status <> 'closed' order by 1) as "referredStages",
       exists(select 1 from pathway_shares s where s.pathway_id = p.id and s.kind = 'transfer' and s.to_org = $3
              and s.status = 'pending' and p.status <> 'closed') as "transferOffered",
       (select e.id from emergency_access e where e.pathway_id = p.id and e.actor_id = $2 and e.actor_org = $3 and e.actor_role = $4
           and e.expires_at > now()
         order by e.expires_at desc limit 1) as "emergencyAccessId"`;

/** The pathway's organisations and status, and what its reader has been given; undefined when there is no such pathway. */
export async function pathwayAccess(db: Queryable, pathwayId: string, actor: Actor): Promise<PathwayAccessRow | undefined> {
  if (!UUID.test(pathwayId)) return undefined;
  const { rows } = await db.query<PathwayAccessRow>({
    // Named: prepared once per connection, since every action asks it.
    name: 'pathway-access',
    text: `select ${ACCESS_COLUMNS} from pathways p where p.id = $1`,
    values: [pathwayId, actor.id, actor.org, actor.role],
  });
  return rows[0];
}

/**
 * The view the pathway stored with its last batch, and whether PostgreSQL holds an incident of its
 * writes open (then the workflow holds more than PostgreSQL: its entries wait to be written).
 */
export interface StoredView {
  view: PathwayView;
  writeIncident: boolean;
}

/**
 * The stored view, only while it is the stored projection's version: a batch written by an older
 * worker moves the projection on and leaves the view behind, and that view is then not the state.
 */
const CURRENT_VIEW = `case when (p.view ->> 'version')::int = p.projection_version then p.view end`;

/** Whether PostgreSQL holds an incident of pathway p's writes open: the workflow then holds entries PostgreSQL does not. */
const WRITE_INCIDENT = `exists(select 1 from incidents i where i.pathway_id = p.id and i.resolved_at is null
                                and i.kind in ('audit-write-refused', 'audit-write-late'))`;

/** How a reader comes to see a pathway, as the access log flags it. */
export type { AccessVia };

type RecordRow = {
  givenName: string; familyName: string; patronymic: string | null; birthDate: string; precision: BirthDatePrecision; estimated: boolean; nameHidden: boolean;
};

const RECORD_COLUMNS = `given_name as "givenName", family_name as "familyName", patronymic, to_char(birth_date, 'YYYY-MM-DD') as "birthDate",
            birth_date_precision as precision, birth_date_estimated as estimated, name_hidden as "nameHidden"`;

function recordOf(record: RecordRow | undefined) {
  if (!record) return undefined;
  const { precision, estimated, ...rest } = record;
  return { ...rest, patronymic: record.patronymic ?? undefined, birthDate: formatBirthDate(record.birthDate, precision), birthDateEstimated: estimated };
}

/** The person's record as reads show it, from the record an opening wrote (`insertPathway`). */
export function recordOfOpening(person: PersonRecord, arrivalDate: string) {
  const birth = parseBirthDate(person.birthDate, arrivalDate);
  const { givenName, familyName, patronymic = null } = person;
  const estimated = isEstimated(person.birthDateEstimated, birth.precision);
  return recordOf({ givenName, familyName, patronymic, birthDate: birth.date, precision: birth.precision, estimated, nameHidden: false })!;
}

/** The SQL form of the access rule in `pathways/access.ts`, for reads answered in one statement: how $3's reader sees it, or null. */
const VIA = `case when $3 = any(organisations) then 'organisation'
                  when cardinality("referredStages") > 0 then 'referral'
                  when "transferOffered" and $4 <> 'staff' then 'transfer'
                  when $7 then 'oversight'
                  when "emergencyAccessId" is not null then 'emergency' end`;

/**
 * A read of the pathway's state in one statement: what decides its reader's access, and, when the
 * reader may see it, the read logged in the access log (flagged with how they see it) and the
 * person's record. Undefined when there is no such pathway.
 */
export async function logReadWithRecord(
  db: Queryable,
  read: { pathwayId: string; actor: Actor; what: AccessKind; requestId: string; mayReadAll: boolean },
): Promise<(PathwayAccessRow & { via?: AccessVia; record?: ReturnType<typeof recordOf>; finalView?: PathwayView; stored?: StoredView }) | undefined> {
  if (!UUID.test(read.pathwayId)) return undefined;
  const { actor } = read;
  const { rows } = await db.query<PathwayAccessRow & { via: AccessVia | null; finalView: PathwayView | null; view: PathwayView | null; writeIncident: boolean } & RecordRow>({
    // Named: parsed and planned once per connection, not on every read.
    name: 'log-read-with-record',
    text: `with p as (select ${ACCESS_COLUMNS}, p.final_view, ${CURRENT_VIEW} as view,
                     ${WRITE_INCIDENT} as "writeIncident"
                from pathways p where p.id = $1),
     v as (select p.*, ${VIA} as via from p),
     logged as (
       insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id, via, emergency_access_id)
       select id, $2, $4, $3, $5, $6, via, case when via = 'emergency' then "emergencyAccessId" end from v where via is not null
       returning pathway_id)
     select v.id, v.status, v.programme, v.operation, v.organisations, v."referredStages", v."transferOffered", v."emergencyAccessId",
            case when l.pathway_id is not null then v.via end as via,
            case when l.pathway_id is not null then v.final_view end as "finalView",
            case when l.pathway_id is not null then v.view end as view, v."writeIncident", ${RECORD_COLUMNS}
       from v left join logged l on l.pathway_id = v.id left join people on people.pathway_id = v.id and l.pathway_id is not null`,
    values: [read.pathwayId, actor.id, actor.org, actor.role, read.what, read.requestId, read.mayReadAll],
  });
  const row = rows[0];
  if (!row) return undefined;
  const { via, finalView, view, writeIncident, givenName, familyName, patronymic, birthDate, precision, estimated, nameHidden, ...access } = row;
  if (!via) return access;
  const record = recordOf({ givenName, familyName, patronymic, birthDate, precision, estimated, nameHidden });
  return { ...access, via, record, finalView: finalView ?? undefined, stored: view ? { view, writeIncident } : undefined };
}

/**
 * Logs a read of the pathway's state by someone already let in (the sender of an action) and gives
 * the stored view with it, in one statement: nothing is shown unless the read was logged.
 */
export async function logReadOfStored(
  db: Queryable,
  read: { pathwayId: string; actor: Actor; what: AccessKind; requestId: string; via: AccessVia },
): Promise<StoredView | undefined> {
  const { actor } = read;
  const { rows } = await db.query<{ view: PathwayView | null; writeIncident: boolean }>({
    name: 'log-read-of-stored',
    text: `with logged as (
             insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id, via)
             values ($1, $2, $3, $4, $5, $6, $7) returning pathway_id)
           select ${CURRENT_VIEW} as view, ${WRITE_INCIDENT} as "writeIncident"
             from logged l join pathways p on p.id = l.pathway_id`,
    values: [read.pathwayId, actor.id, actor.role, actor.org, read.what, read.requestId, read.via],
  });
  const row = rows[0];
  return row?.view ? { view: row.view, writeIncident: row.writeIncident } : undefined;
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
