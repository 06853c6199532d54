import pg from 'pg';
import type { Logger } from '../logger.js';

export type Pool = pg.Pool;
/** A pool or a client inside a transaction: query modules accept either. */
export type Queryable = pg.Pool | pg.PoolClient;

export function createPool(options: { url: string; size: number; logger: Logger }): Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.size,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (error: Error & { code?: string }) =>
    options.logger.warn({ code: error.code, reason: error.message }, 'idle PostgreSQL connection lost'),
  );
  return pool;
}

/** Runs `work` in one transaction on one client, rolling back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
