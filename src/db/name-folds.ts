import { FOLD_VERSION, foldPerson, type NameWord } from '../domain/names.js';
import type { Logger } from '../logger.js';
import type { Pool, Queryable } from './pool.js';

/**
 * Adds words to the vocabulary search compares query words with (each word once), in one
 * statement in the words' order: openings that share words at once wait for each other in the same
 * order, never in a circle. An opening adds new words and marks a word once seen in Arabic script
 * (`refold`: a refolding rewrites them), so it locks no other word another opening already wrote.
 */
export async function addToVocabulary(db: Queryable, given: NameWord[], refold = false): Promise<void> {
  const words = [...new Map(given.map((w) => [w.spelt, w])).values()].sort((a, b) => (a.spelt < b.spelt ? -1 : a.spelt > b.spelt ? 1 : 0));
  if (!words.length) return;
  const insert = `insert into name_vocabulary (spelt, folded, consonants, abjad, keys)
           select spelt, folded, consonants, abjad, string_to_array(keys, ' ')
             from unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[]) with ordinality as w(spelt, folded, consonants, abjad, keys, n)
            order by n`;
  await db.query({
    name: refold ? 'refold-name-vocabulary' : 'add-name-vocabulary',
    text: refold ? `${insert}
           on conflict (spelt) do update
             set folded = excluded.folded, consonants = excluded.consonants, keys = excluded.keys, abjad = name_vocabulary.abjad or excluded.abjad
             where (name_vocabulary.folded, name_vocabulary.consonants, name_vocabulary.keys, name_vocabulary.abjad)
                   is distinct from (excluded.folded, excluded.consonants, excluded.keys, name_vocabulary.abjad or excluded.abjad)`
      : `${insert}
           on conflict (spelt) do update set abjad = true where excluded.abjad and not name_vocabulary.abjad`,
    values: [words.map((w) => w.spelt), words.map((w) => w.folded), words.map((w) => w.consonants), words.map((w) => w.abjad), words.map((w) => w.keys.join(' '))],
  });
}

/** Writes a person's folded name (the `people` row exists); answers its words, for the vocabulary once the request's people are all written. */
export async function writeFolds(
  db: Queryable,
  pathwayId: string,
  person: { givenName: string; familyName: string; patronymic?: string | null },
): Promise<NameWord[]> {
  const folded = foldPerson(person);
  await db.query({
    name: 'write-name-folds',
    text: `update people set given_folded = $2, family_folded = $3, patronymic_folded = $4, name_words = $5, fold_version = $6
            where pathway_id = $1`,
    values: [pathwayId, folded.givenFolded, folded.familyFolded, folded.patronymicFolded, folded.words, FOLD_VERSION],
  });
  return folded.vocabulary;
}

/**
 * Folds again every person folded by another version of the folding (or never: rows from before
 * migration 0012), in batches, and rebuilds the vocabulary when anything was refolded.
 */
export async function refoldPeople(pool: Pool, logger: Logger, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await pool.query<{ pathway_id: string; given_name: string; family_name: string; patronymic: string | null }>(
      `select pathway_id, given_name, family_name, patronymic from people where fold_version <> $1 limit $2`,
      [FOLD_VERSION, batch],
    );
    if (!rows.length) break;
    const words: NameWord[] = [];
    for (const row of rows) {
      words.push(...(await writeFolds(pool, row.pathway_id, { givenName: row.given_name, familyName: row.family_name, patronymic: row.patronymic })));
    }
    await addToVocabulary(pool, words, true);
    total += rows.length;
  }
  if (total) {
    // Words only an older folding produced would never be found again: start the vocabulary afresh.
    await pool.query(`delete from name_vocabulary v where not exists (select 1 from people p where p.name_words @> array[v.spelt])`);
    logger.info({ refolded: total, foldVersion: FOLD_VERSION }, 'refolded names');
  }
  return total;
}
