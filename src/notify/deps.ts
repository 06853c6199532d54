import type { Config } from '../../config/index.js';
import type { Pool } from '../db/pool.js';

/** What the delivery loop and each channel's functions get. */
export interface NotifyDeps {
  pool: Pool;
  config: Config;
  logger: { info(message: string, attrs?: Record<string, unknown>): void; warn(message: string, attrs?: Record<string, unknown>): void; error(message: string, attrs?: Record<string, unknown>): void };
}
