import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/model.js';
import { personColumns, shownPerson, type PersonRow, type ShownPerson } from '../domain/person-shown.js';
import type { Queryable } from './pool.js';

/** A person about to be opened, as a duplicate check compares them: folded names, sex, birth dates they may have. */
export interface Candidate {
  sex: string;
  given: string;
  family: string;
  patronymic: string | null;
  /** The first and last day the birth date, as precise as it is known, may be. */
  earliest: string;
  latest: string;
}

/** A pathway a candidate may be the same person as. */
export interface Match {
  /** Which candidate (its position in the list checked). */
  candidate: number;
  pathwayId: string;
  /** The organisations holding it now. */
  organisations: string[];
  programme: string;
  operation: string;
  status: string;
  currentStage: string;
  openedAt: string;
  person: ShownPerson;
}

/**
 * Pathways whose person may be one of these candidates: the same sex, birth dates that may be the
 * same day, and names that fold to the same skeleton (src/domain/names.ts: spellings across
 * scripts and agencies fold together, a letter more or less does not). A pathway closed as
 * a duplicate or a transfer is not one: the pathway it names, or that continues it, is.
 */
export async function possibleMatches(db: Queryable, candidates: Candidate[], today: string): Promise<Match[]> {
  if (!candidates.length) return [];
  const column = <K extends keyof Candidate>(key: K) => candidates.map((c) => c[key]);
  const { rows } = await db.query<PersonRow & {
    candidate: number; id: string; organisations: string[]; programme: string; operation: string; status: string; current_stage: string; opened_at: Date;
  }>({
    name: 'possible-duplicates',
    text: `with c as (select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[])
                        as c(candidate, sex, given, family, patronymic, earliest, latest)),
              known as (
                select pp.*, case when pp.birth_date_precision = 'year' then date_trunc('year', pp.birth_date)::date
                                  when pp.birth_date_precision = 'month' then date_trunc('month', pp.birth_date)::date
                                  when pp.birth_date_estimated then pp.birth_date - 366 else pp.birth_date end as earliest,
                             case when pp.birth_date_precision = 'year' then (date_trunc('year', pp.birth_date) + interval '1 year - 1 day')::date
                                  when pp.birth_date_precision = 'month' then (date_trunc('month', pp.birth_date) + interval '1 month - 1 day')::date
                                  when pp.birth_date_estimated then pp.birth_date + 366 else pp.birth_date end as latest
                  from people pp)
           select c.candidate, p.id, p.programme, p.operation, p.status, p.current_stage, p.opened_at, ${personColumns('k')},
                  array(select o.organisation from pathway_organisations o where o.pathway_id = p.id order by 1) as organisations
             from c
             join known k on k.family_folded = c.family and k.given_folded = c.given
                         and k.earliest <= c.latest and c.earliest <= k.latest
             join pathways p on p.id = k.pathway_id
            where p.sex = c.sex and c.family <> '' and c.given <> ''
              and p.closure_reason is distinct from 'duplicate' and p.closure_reason is distinct from 'transferred'
              and (k.patronymic_folded is null or c.patronymic is null or k.patronymic_folded = c.patronymic)
            order by c.candidate, p.opened_at, p.id`,
    values: [candidates.map((_, i) => i), column('sex'), column('given'), column('family'), column('patronymic'), column('earliest'), column('latest')],
  });
  return rows.map((row) => ({
    candidate: row.candidate,
    pathwayId: row.id,
    organisations: row.organisations,
    programme: row.programme,
    operation: row.operation,
    status: row.status,
    currentStage: row.current_stage,
    openedAt: row.opened_at.toISOString(),
    person: shownPerson(row, { today }),
  }));
}

/** Waits for any other opening of a person with these folded family names and sexes, until the transaction ends. */
export async function lockCandidates(db: Queryable, candidates: Candidate[]): Promise<void> {
  const keys = [...new Set(candidates.map((c) => `duplicates:${c.sex}:${c.family}`))];
  // One statement, in one order for everyone (by the lock's own key): two openings never wait in a circle.
  await db.query(
    `select pg_advisory_xact_lock(key) from (select distinct hashtextextended(k, 0) as key from unnest($1::text[]) as k order by 1) as keys`,
    [keys],
  );
}

/** The coordinator's word that the new pathway's person is not the one of each of these pathways. */
export async function recordDifferentPeople(db: Queryable, confirmations: { pathwayId: string; differentFrom: string }[], actor: Actor): Promise<void> {
  if (!confirmations.length) return;
  await db.query(
    `insert into duplicate_confirmations (pathway_id, different_from, confirmed_by, confirmed_role, confirmed_org)
     select p, d, $3, $4, $5 from unnest($1::uuid[], $2::uuid[]) as x(p, d) on conflict do nothing`,
    [confirmations.map((c) => c.pathwayId), confirmations.map((c) => c.differentFrom), actor.id, actor.role, actor.org],
  );
}

/** Tells oversight that each new pathway may be the same person as another organisation's. */
export async function raiseAlerts(db: Queryable, alerts: { pathwayId: string; otherPathwayId: string }[]): Promise<void> {
  if (!alerts.length) return;
  await db.query(
    `insert into duplicate_alerts (id, pathway_id, other_pathway_id)
     select * from unnest($1::uuid[], $2::uuid[], $3::uuid[]) on conflict do nothing`,
    [alerts.map(() => randomUUID()), alerts.map((a) => a.pathwayId), alerts.map((a) => a.otherPathwayId)],
  );
}

/** Who said a pathway's person is not another's, for each of these others. */
export async function confirmationsOf(db: Queryable, pathwayId: string): Promise<Map<string, { by: string; org: string; at: string }>> {
  const { rows } = await db.query<{ other: string; by: string; org: string; at: Date }>(
    `select case when pathway_id = $1 then different_from else pathway_id end as other, confirmed_by as by, confirmed_org as org, confirmed_at as at
       from duplicate_confirmations where pathway_id = $1 or different_from = $1`,
    [pathwayId],
  );
  return new Map(rows.map((r) => [r.other, { by: r.by, org: r.org, at: r.at.toISOString() }]));
}
