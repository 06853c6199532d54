import { shownPerson, type PersonRow, type ShownPerson } from '../domain/person-shown.js';
import { inTransaction, type Pool, type Queryable } from './pool.js';

export const ALERT_OUTCOMES = ['same-person', 'different-people'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];
export type AlertStatus = 'unreviewed' | 'reviewed' | 'all';

export interface AlertSide {
  pathwayId: string;
  organisations: string[];
  programme: string;
  status: string;
  currentStage: string;
  person: ShownPerson;
}

export interface DuplicateAlert {
  id: string;
  raisedAt: string;
  /** The pathway just opened, and the other organisation's that it may duplicate. */
  opened: AlertSide;
  other: AlertSide;
  review: { outcome: AlertOutcome; by: string; at: string; note: string | null } | null;
}

const SIDE = (alias: string, person: string) =>
  `${alias}.id as "${alias}_id", ${alias}.programme as "${alias}_programme", ${alias}.status as "${alias}_status",
   ${alias}.current_stage as "${alias}_stage",
   array(select o.organisation from pathway_organisations o where o.pathway_id = ${alias}.id order by 1) as "${alias}_orgs",
   json_build_object('given_name', ${person}.given_name, 'family_name', ${person}.family_name, 'patronymic', ${person}.patronymic,
     'birth_date', to_char(${person}.birth_date, 'YYYY-MM-DD'), 'birth_date_precision', ${person}.birth_date_precision,
     'birth_date_estimated', ${person}.birth_date_estimated, 'name_hidden', ${person}.name_hidden) as "${alias}_person"`;

type Row = Record<string, unknown> & { id: string; raised_at: Date; raised_at_text: string; reviewed_at: Date | null; reviewed_by: string | null; review_outcome: AlertOutcome | null; review_note: string | null };

function sideOf(row: Row, alias: string, today: string): AlertSide {
  return {
    pathwayId: row[`${alias}_id`] as string,
    organisations: row[`${alias}_orgs`] as string[],
    programme: row[`${alias}_programme`] as string,
    status: row[`${alias}_status`] as string,
    currentStage: row[`${alias}_stage`] as string,
    person: shownPerson(row[`${alias}_person`] as PersonRow, { today }),
  };
}

/** Alerts by status, oldest first, a page at a time (one more row than asked says whether another follows). */
export async function duplicateAlerts(db: Queryable, query: { status: AlertStatus; limit: number; after?: { raisedAt: string; id: string }; today: string }) {
  const { rows } = await db.query<Row>(
    `select a.id, a.raised_at, a.raised_at::text as raised_at_text, a.reviewed_at, a.reviewed_by, a.review_outcome, a.review_note,
            ${SIDE('n', 'np')}, ${SIDE('x', 'xp')}
       from duplicate_alerts a
       join pathways n on n.id = a.pathway_id join people np on np.pathway_id = n.id
       join pathways x on x.id = a.other_pathway_id join people xp on xp.pathway_id = x.id
      where ($1 = 'all' or ($1 = 'unreviewed') = (a.reviewed_at is null))
        and ($2::timestamptz is null or (a.raised_at, a.id) > ($2::timestamptz, $3::uuid))
      order by a.raised_at, a.id
      limit $4`,
    [query.status, query.after?.raisedAt ?? null, query.after?.id ?? null, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  const items: DuplicateAlert[] = page.map((row) => ({
    id: row.id,
    raisedAt: row.raised_at.toISOString(),
    opened: sideOf(row, 'n', query.today),
    other: sideOf(row, 'x', query.today),
    review: row.reviewed_at && row.review_outcome
      ? { outcome: row.review_outcome, by: row.reviewed_by!, at: row.reviewed_at.toISOString(), note: row.review_note }
      : null,
  }));
  const last = rows.length > query.limit ? page.at(-1) : undefined;
  return { items, last: last && { raisedAt: last.raised_at_text, id: last.id } };
}

/** Oversight's verdict on an alert, once. */
export async function reviewDuplicateAlert(
  pool: Pool,
  review: { alertId: string; by: string; outcome: AlertOutcome; note?: string },
): Promise<'unknown' | 'already-reviewed' | { id: string; outcome: AlertOutcome; at: string }> {
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ reviewed_at: Date | null }>('select reviewed_at from duplicate_alerts where id = $1 for update', [review.alertId]);
    if (!rows[0]) return 'unknown';
    if (rows[0].reviewed_at) return 'already-reviewed';
    const updated = await db.query<{ reviewed_at: Date }>(
      `update duplicate_alerts set reviewed_at = now(), reviewed_by = $2, review_outcome = $3, review_note = $4 where id = $1 returning reviewed_at`,
      [review.alertId, review.by, review.outcome, review.note ?? null],
    );
    return { id: review.alertId, outcome: review.outcome, at: updated.rows[0]!.reviewed_at.toISOString() };
  });
}

/** How many alerts wait for a verdict: no pathway named, nothing to log. */
export async function unreviewedAlerts(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from duplicate_alerts where reviewed_at is null');
  return rows[0]!.n;
}
