import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { testDatabase, testLogger, type TestDatabase } from '../helpers/stack.js';

let db: TestDatabase;
let dir: string;
const logger = testLogger();

beforeAll(async () => {
  db = await testDatabase(logger);
  // Start from an empty schema: these tests own the whole database.
  await db.pool.query('drop schema public cascade; create schema public');
  dir = await mkdtemp(path.join(os.tmpdir(), 'pathways-migrations-'));
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('applies numbered files in order, each recorded, and nothing twice', async () => {
    await writeFile(path.join(dir, '0002_add_colour.sql'), 'alter table widgets add column colour text;');
    await writeFile(path.join(dir, '0001_create_widgets.sql'), 'create table widgets (id integer primary key);');
    const [first, second] = await Promise.all([migrate(db.pool, logger, dir), migrate(db.pool, logger, dir)]);
    expect([...first!, ...second!].sort()).toEqual([1, 2]);
    const { rows } = await db.pool.query('select version, name from schema_migrations order by version');
    expect(rows).toEqual([
      { version: 1, name: 'create_widgets' },
      { version: 2, name: 'add_colour' },
    ]);
    expect(await migrate(db.pool, logger, dir)).toEqual([]);
  });

  it('rolls a failing migration back entirely and does not record it', async () => {
    await writeFile(path.join(dir, '0003_broken.sql'), 'alter table widgets add column size integer; select * from missing_table;');
    await expect(migrate(db.pool, logger, dir)).rejects.toThrow(/missing_table/);
    const columns = await db.pool.query("select column_name from information_schema.columns where table_name = 'widgets' order by 1");
    expect(columns.rows.map((r) => r.column_name)).toEqual(['colour', 'id']);
    const { rows } = await db.pool.query('select max(version) as version from schema_migrations');
    expect(rows[0].version).toBe(2);
  });

  it('refuses a file that does not follow the naming rule', async () => {
    const other = await mkdtemp(path.join(os.tmpdir(), 'pathways-migrations-'));
    await writeFile(path.join(other, 'add-things.sql'), 'select 1;');
    await expect(migrate(db.pool, logger, other)).rejects.toThrow('Migration file add-things.sql must be named NNNN_verb_noun.sql');
    await rm(other, { recursive: true, force: true });
  });

  it('ships migrations that apply to an empty database', async () => {
    const fresh = await testDatabase(logger);
    try {
      await fresh.pool.query('drop schema public cascade; create schema public');
      expect((await migrate(fresh.pool, logger, MIGRATIONS_DIR)).length).toBeGreaterThan(0);
    } finally {
      await fresh.drop();
    }
  });
});
