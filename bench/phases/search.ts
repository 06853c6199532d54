import { randomUUID } from 'node:crypto';
import { foldPerson, type NameWord } from '../../src/domain/names.js';
import { addToVocabulary } from '../../src/db/name-folds.js';
import type { Pool } from '../../src/db/pool.js';
import { crewOf, type Crew } from '../lib/api.js';
import type { Bench } from '../lib/context.js';
import { generatePerson, misspelt, seeded, type GeneratedPerson } from '../lib/names.js';
import { latencies, progress, type Latencies } from '../lib/stats.js';

const crew = crewOf('bench-search');
const BATCH = 2_000;

export interface SearchStep {
  people: number;
  insertSeconds: number;
  latency: Latencies;
  /** By what was asked: a full name in another spelling, a given name alone, a family name with a letter wrong, its first five letters. */
  byKind: Record<string, Latencies>;
  meanResults: number;
}
export interface SearchFigures {
  steps: SearchStep[];
  queriesPerStep: number;
}

/**
 * People written straight into PostgreSQL (pathways, their organisation, the person folded as the
 * API folds it, the vocabulary), not through workflows: search (and an export) reads nothing else.
 */
export async function insertPeople(pool: Pool, people: GeneratedPerson[], owner: Crew = crew): Promise<void> {
  for (let start = 0; start < people.length; start += BATCH) {
    const batch = people.slice(start, start + BATCH);
    const ids = batch.map(() => randomUUID());
    const folded = batch.map((p) => foldPerson(p.stored));
    const years = batch.map((_, i) => 1950 + ((start + i) % 70));
    await pool.query(
      `insert into pathways (id, programme, operation, arrival_date, sex, age_band, is_child, template_version, opened_by, opened_org)
       select id, 'UZ', 'Mehr', '2024-05-01', sex, '18-59', false, 1, $3, $4 from unnest($1::uuid[], $2::text[]) as x(id, sex)`,
      [ids, batch.map((p) => p.sex), owner.coordinator.id, owner.org],
    );
    await pool.query(`insert into pathway_organisations (pathway_id, organisation) select id, $2 from unnest($1::uuid[]) as x(id)`, [ids, owner.org]);
    await pool.query(
      `insert into people (pathway_id, given_name, family_name, birth_date, given_folded, family_folded, name_words, fold_version, name_hidden)
       select id, given, family, make_date(year, 3, 1), gf, ff, string_to_array(words, ' '), $8, hidden
         from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $9::boolean[]) as x(id, given, family, year, gf, ff, words, hidden)`,
      [ids, batch.map((p) => p.stored.givenName), batch.map((p) => p.stored.familyName), years, folded.map((f) => f.givenFolded),
        folded.map((f) => f.familyFolded), folded.map((f) => f.words.join(' ')), 1, batch.map((_, i) => (start + i) % 100 === 0)],
    );
    const vocabulary = new Map<string, NameWord>();
    for (const f of folded) for (const word of f.vocabulary) vocabulary.set(word.spelt, word);
    await addToVocabulary(pool, [...vocabulary.values()]);
  }
  await pool.query('analyze people; analyze name_vocabulary; analyze pathway_organisations; analyze pathways');
}

type Kind = 'full name, another spelling' | 'given name alone' | 'family name, a letter wrong' | 'first five letters';

/** What people would type to find someone stored: another spelling, a typo, a beginning. */
function queryFor(person: GeneratedPerson, kind: Kind, random: ReturnType<typeof seeded>): string {
  const other = (spellings: string[], stored: string) => random.pick(spellings.filter((s) => s !== stored).concat(spellings.length === 1 ? spellings : []));
  switch (kind) {
    case 'full name, another spelling':
      return `${other(person.family, person.stored.familyName)} ${other(person.given, person.stored.givenName)}`;
    case 'given name alone':
      return other(person.given, person.stored.givenName);
    case 'family name, a letter wrong':
      return misspelt(person.stored.familyName, random);
    case 'first five letters':
      return person.stored.familyName.slice(0, 5);
  }
}

const KINDS: Kind[] = ['full name, another spelling', 'given name alone', 'family name, a letter wrong', 'first five letters'];

/** GET /v1/people one search at a time (a person at the console), timed through the whole API. */
async function measure(bench: Bench, people: GeneratedPerson[], count: number, random: ReturnType<typeof seeded>) {
  const all: number[] = [];
  const byKind = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  let results = 0;
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const q = queryFor(random.pick(people), kind, random);
    const answer = await bench.api.request(crew.staff, 'GET', `/v1/people?q=${encodeURIComponent(q)}&limit=20`);
    if (answer.status !== 200) throw new Error(`search answered ${answer.status} ${answer.body?.code ?? ''}`);
    all.push(answer.ms);
    byKind.get(kind)!.push(answer.ms);
    results += answer.body.items.length;
  }
  return { latency: latencies(all), byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, latencies(v)])), meanResults: results / count };
}

/** Search among 10,000 and then 100,000 people: p50 and p99 of GET /v1/people at each size. */
export async function searchPhase(bench: Bench): Promise<SearchFigures> {
  const random = seeded(22);
  const queriesPerStep = bench.sizes.rounds > 1 ? 400 : 120;
  const people: GeneratedPerson[] = [];
  const steps: SearchStep[] = [];
  for (const size of [10_000, 100_000]) {
    const more = Array.from({ length: size - people.length }, () => generatePerson(random));
    const started = performance.now();
    await insertPeople(bench.pool, more);
    people.push(...more);
    const insertSeconds = (performance.now() - started) / 1000;
    progress(`search: ${size} people written in ${Math.round(insertSeconds)} s; ${queriesPerStep} searches`);
    await measure(bench, people, 20, random);
    steps.push({ people: size, insertSeconds, ...(await measure(bench, people, queriesPerStep, random)) });
  }
  return { steps, queriesPerStep };
}
