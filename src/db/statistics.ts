import type { Queryable } from './pool.js';

/** People per programme as the field report's Table 1 counts them, arrivals in a date range. */
export async function peopleByProgramme(db: Queryable, filter: { organisation?: string; programme?: string; from?: string; to?: string }) {
  const { rows } = await db.query(
    `select p.programme,
            count(*) filter (where not p.is_child and p.sex = 'male')::int as men,
            count(*) filter (where not p.is_child and p.sex = 'female')::int as women,
            count(*) filter (where p.is_child)::int as children
       from pathways p
      where ($1::text is null or exists (select 1 from pathway_organisations o where o.pathway_id = p.id and o.organisation = $1))
        and ($2::text is null or p.programme = $2) and ($3::date is null or p.arrival_date >= $3) and ($4::date is null or p.arrival_date <= $4)
        -- A pathway closed as a duplicate is no person of its own.
        and p.closure_reason is distinct from 'duplicate'
      group by 1 order by 1`,
    [filter.organisation ?? null, filter.programme ?? null, filter.from ?? null, filter.to ?? null],
  );
  return rows as { programme: string; men: number; women: number; children: number }[];
}

/** Whether a programme's statistics are public; off unless the oversight organisation turned them on. */
export async function isPublic(db: Queryable, programme: string): Promise<boolean> {
  const { rows } = await db.query('select public from public_statistics where programme = $1', [programme]);
  return rows[0]?.public === true;
}

/** The programmes whose statistics are public now. */
export async function publicList(db: Queryable): Promise<string[]> {
  const { rows } = await db.query('select programme from public_statistics where public order by programme');
  return rows.map((r) => r.programme as string);
}

export async function setPublic(db: Queryable, programme: string, value: boolean, by: string): Promise<void> {
  await db.query(
    `insert into public_statistics (programme, public, changed_by) values ($1, $2, $3)
     on conflict (programme) do update set public = excluded.public, changed_by = excluded.changed_by, changed_at = now()`,
    [programme, value, by],
  );
}
