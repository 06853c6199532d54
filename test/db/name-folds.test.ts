import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLD_VERSION } from '../../src/domain/names.js';
import { refoldPeople } from '../../src/db/name-folds.js';
import { testDatabase, testLogger, type TestDatabase } from '../helpers/stack.js';

let db: TestDatabase;
const logger = testLogger();

beforeAll(async () => {
  db = await testDatabase(logger);
});
afterAll(async () => db?.drop());

/** A person written as before folding existed (or by an older folding). */
async function unfoldedPerson(given: string, family: string, patronymic: string | null) {
  const id = randomUUID();
  await db.pool.query(
    `insert into pathways (id, programme, operation, arrival_date, sex, age_band, is_child, template_version, opened_by, opened_org)
     values ($1, 'family-reintegration', 'op', '2026-01-01', 'female', 'adult', false, 1, 'someone', 'mlsp')`,
    [id],
  );
  await db.pool.query(`insert into people (pathway_id, given_name, family_name, patronymic, birth_date) values ($1, $2, $3, $4, '1990-01-01')`, [
    id, given, family, patronymic,
  ]);
  return id;
}

describe('folded names in PostgreSQL', () => {
  it('folds the people written before folding (or by an older one) when the service migrates', async () => {
    const first = await unfoldedPerson('Айша', 'Абдуллаева', null);
    const second = await unfoldedPerson('Abdul Aziz', 'Yusupov', 'Rustamovich');
    expect(await refoldPeople(db.pool, logger, 1)).toBe(2);
    const { rows } = await db.pool.query(
      `select pathway_id, given_folded, family_folded, patronymic_folded, name_words, fold_version from people where pathway_id = any($1) order by given_folded`,
      [[first, second]],
    );
    expect(rows).toEqual([
      { pathway_id: second, given_folded: 'abdal azaz', family_folded: 'yasapav', patronymic_folded: 'rastamavach', name_words: ['abdul', 'aziz', 'abdulaziz', 'yusupov', 'rustamovich'], fold_version: FOLD_VERSION },
      { pathway_id: first, given_folded: 'asha', family_folded: 'abdalava', patronymic_folded: null, name_words: ['aysha', 'abdullaeva'], fold_version: FOLD_VERSION },
    ]);
    const vocabulary = await db.pool.query(`select spelt, folded from name_vocabulary where spelt in ('aysha', 'abdulaziz') order by spelt`);
    expect(vocabulary.rows).toEqual([{ spelt: 'abdulaziz', folded: 'abdalazaz' }, { spelt: 'aysha', folded: 'asha' }]);
    expect(await refoldPeople(db.pool, logger)).toBe(0);
  });

  it('has the extensions search is built on', async () => {
    const { rows } = await db.pool.query(`select extname from pg_extension where extname in ('pg_trgm', 'fuzzystrmatch') order by 1`);
    expect(rows.map((r) => r.extname)).toEqual(['fuzzystrmatch', 'pg_trgm']);
  });
});
