import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import { refoldPeople } from './name-folds.js';
import { inTransaction, type Pool } from './pool.js';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same for every process of this service.
const MIGRATION_LOCK = 7_463_190_021;

interface Migration {
  version: number;
  name: string;
  file: string;
}

async function listMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return files.map((file) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`Migration file ${file} must be named NNNN_verb_noun.sql`);
    return { version: Number(match[1]), name: match[2]!, file: path.join(dir, file) };
  });
}

/**
 * Applies the numbered SQL files not yet applied, in order, each in its own transaction that
 * records it. An advisory lock makes processes starting at the same time take turns.
 */
export async function migrate(pool: Pool, logger: Logger, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await listMigrations(dir);
  const lock = await pool.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await pool.query(
      'create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())',
    );
    const { rows } = await pool.query<{ version: number }>('select version from schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newlyApplied: number[] = [];
    for (const migration of migrations.filter((m) => !applied.has(m.version))) {
      const sql = await readFile(migration.file, 'utf8');
      await inTransaction(pool, async (client) => {
        await client.query(sql);
        await client.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      });
      logger.info({ version: migration.version, name: migration.name }, 'applied migration');
      newlyApplied.push(migration.version);
    }
    // Names are folded in the application, so a new folding (or the first) is applied here, after the SQL.
    if (dir === MIGRATIONS_DIR) await refoldPeople(pool, logger);
    return newlyApplied;
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lock.release();
  }
}
