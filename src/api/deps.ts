import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Config } from '../../config/index.js';
import type { Pool } from '../db/pool.js';
import type { Programme } from '../domain/model.js';
import type { Template } from '../domain/template.js';
import type { Logger } from '../logger.js';
import type { MailCatcher } from '../notify/email/catcher.js';
import type { TokenVerifier } from './auth.js';

/** Everything the API needs, built once by the process and handed in. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  client: Client;
  templates: ReadonlyMap<Programme, Template>;
  verifier: TokenVerifier;
  codec: PayloadCodec;
  /** Development: `npm start`'s mail catcher, whose messages GET /v1/dev/mail lists. */
  mailCatcher?: MailCatcher;
}
