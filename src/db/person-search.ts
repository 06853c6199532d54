import type { PersonRow } from '../domain/person-shown.js';
import { personColumns } from '../domain/person-shown.js';
import type { Queryable } from './pool.js';

/** How a query word matched a word of the name, strongest first (the numbers rank results). */
export const MATCH_KINDS = { 4: 'exact', 3: 'variant', 2: 'partial', 1: 'similar' } as const;
export type MatchKind = (typeof MATCH_KINDS)[keyof typeof MATCH_KINDS];

/** One word of the query as search compares it (see src/domain/names.ts). */
export interface QueryWord {
  spelt: string;
  folded: string;
  consonants: string;
  abjad: boolean;
  keys: string[];
  /** Wrong letters tolerated in the folded word. */
  distance: number;
}

export interface SearchFilters {
  words: QueryWord[];
  /** The query's folded words sorted and joined: a hidden name is found by its exact full name only. */
  fullName: string | null;
  pathwayId: string | null;
  familyGroupId: string | null;
  birthYear: number | null;
  operation: string | null;
  /** Only pathways of this organisation; null for oversight. */
  organisation: string | null;
  offset: number;
  limit: number;
}

export interface FoundPerson extends PersonRow {
  id: string;
  programme: string;
  operation: string;
  phase: string | null;
  arrival_date: string;
  family_group_id: string | null;
  status: string;
  current_stage: string;
  in_organisation: boolean;
  /** Per query word: the name word it matched and how (4 exact … 1 similar). */
  matches: { qi: number; spelt: string; how: keyof typeof MATCH_KINDS }[] | null;
}

/** A person's folded words sorted: the exact full name a hidden name is found by. */
const FOLDED_FULL = (p: string, withPatronymic: boolean) =>
  `array_to_string(array(select unnest(string_to_array(${p}.given_folded || ' ' || ${p}.family_folded${withPatronymic ? ` || coalesce(' ' || ${p}.patronymic_folded, '')` : ''}, ' ')) order by 1), ' ')`;

// A query word against the vocabulary: the strongest way each vocabulary word matches it. Two
// letters wrong only when the first is right (Muhammad is not Rahimov, two letters apart).
const vocabularyMatches = (candidates: string) => `
  q as (select * from unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::int[])
                 with ordinality as q(spelt, folded, consonants, abjad, keys, distance, qi)),
  m as (
    select q.qi, v.spelt, max(case
             when v.spelt = q.spelt then 4
             when v.folded = q.folded then 3
             when (q.abjad or v.abjad) and v.consonants = q.consonants then 3
             when v.keys && string_to_array(q.keys, ' ') and levenshtein_less_equal(v.folded, q.folded, 3) <= 3 then 3
             when length(q.spelt) >= 3 and v.spelt like q.spelt || '%' then 2
             else 1 end) as how
      from q join name_vocabulary v
        on v.spelt = q.spelt or v.folded = q.folded
        or ((q.abjad or v.abjad) and v.consonants = q.consonants)
        or (v.keys && string_to_array(q.keys, ' ') and levenshtein_less_equal(v.folded, q.folded, 3) <= 3)
        or (length(q.spelt) >= 3 and v.spelt like q.spelt || '%')
        or (q.distance > 0 and abs(length(v.folded) - length(q.folded)) <= q.distance
            and levenshtein_less_equal(v.folded, q.folded, q.distance) <= case when left(v.folded, 1) = left(q.folded, 1) then q.distance else 1 end)
     group by q.qi, v.spelt),
  -- Per person, the strongest match of each query word; those matching every word, with what the
  -- page's ranking needs of them (read once, from the rows the index found).
  hits as (
    select b.pathway_id, b.created_at, b.birth_date, b.hidden_ok, sum(b.how)::int as score,
           json_agg(json_build_object('qi', b.qi, 'spelt', b.spelt, 'how', b.how)) as matches
      from (select distinct on (p.pathway_id, m.qi) p.pathway_id, p.created_at, p.birth_date, m.qi, m.spelt, m.how,
                   (not p.name_hidden or $13::text in (${FOLDED_FULL('p', false)}, ${FOLDED_FULL('p', true)})) as hidden_ok
              from ${candidates}
             order by p.pathway_id, m.qi, m.how desc) b
     group by b.pathway_id, b.created_at, b.birth_date, b.hidden_ok
    having count(*) = cardinality($1::text[]))`;

/**
 * The people matching each query word. One word: each matching vocabulary word looked up in the
 * index. More: the index's answers for each word intersected first (a bitmap AND), so a full name
 * reads only the people who have both names.
 */
function candidatesOf(words: number): string {
  if (words <= 1) return 'm join people p on p.name_words @> array[m.spelt]';
  const each = Array.from({ length: words }, (_, i) => `p.name_words && (select coalesce(array_agg(spelt), '{}') from m where qi = ${i + 1})`);
  return `people p join m on m.spelt = any(p.name_words) where ${each.join(' and ')}`;
}

/**
 * People found by name words (every word of the query must match one of the name's), or by the
 * other filters alone; best matches first. A hidden name is found by name only when the query is
 * its exact full folded name.
 */
export async function searchPeople(db: Queryable, f: SearchFilters): Promise<FoundPerson[]> {
  const byName = f.words.length > 0;
  const w = f.words;
  const { rows } = await db.query<FoundPerson>({
    // The vocabulary part is always written (its parameters need their types) and runs only when joined.
    // Ranked and cut to the page on people alone; only the page's rows are joined with their pathways.
    text: `with ${vocabularyMatches(candidatesOf(w.length))},
      ranked as (
        select pe.pathway_id, pe.created_at, ${byName ? 'pe.score, pe.matches' : '0 as score, null::json as matches'}
          from ${byName ? 'hits pe' : 'people pe'}
         where ($8::boolean or exists (select 1 from pathway_organisations o where o.pathway_id = pe.pathway_id and o.organisation = $7))
           and ($9::uuid is null or pe.pathway_id = $9)
           and ($11::int is null or extract(year from pe.birth_date) = $11)
           and (($10::text is null and $12::text is null) or exists (
                 select 1 from pathways x where x.id = pe.pathway_id and ($10::text is null or x.family_group_id = $10) and ($12::text is null or x.operation = $12)))
           ${byName ? 'and pe.hidden_ok' : 'and $13::text is null'}
         order by score desc, pe.created_at desc, pe.pathway_id
         limit $14 offset $15)
      select pw.id, pw.programme, pw.operation, pw.phase, to_char(pw.arrival_date, 'YYYY-MM-DD') as arrival_date, pw.family_group_id,
             pw.status, pw.current_stage, ${personColumns('pe')},
             exists (select 1 from pathway_organisations o where o.pathway_id = pw.id and o.organisation = $7) as in_organisation, r.matches
        from ranked r join pathways pw on pw.id = r.pathway_id join people pe on pe.pathway_id = r.pathway_id
       order by r.score desc, r.created_at desc, r.pathway_id`,
    values: [
      w.map((x) => x.spelt), w.map((x) => x.folded), w.map((x) => x.consonants), w.map((x) => x.abjad), w.map((x) => x.keys.join(' ')),
      w.map((x) => x.distance), f.organisation ?? '', f.organisation === null, f.pathwayId, f.familyGroupId, f.birthYear, f.operation,
      f.fullName, f.limit, f.offset,
    ],
  });
  return rows;
}

/** Notes that a person searched and how many pathways they were shown; what they searched for is never stored. */
export async function recordSearch(
  db: Queryable,
  search: { actor: { id: string; role: string; org: string }; requestId: string; filters: string[]; results: number },
): Promise<void> {
  await db.query({
    name: 'record-person-search',
    text: `insert into person_searches (actor_id, actor_role, actor_org, request_id, filters, results) values ($1, $2, $3, $4, $5, $6)`,
    values: [search.actor.id, search.actor.role, search.actor.org, search.requestId, search.filters, search.results],
  });
}
