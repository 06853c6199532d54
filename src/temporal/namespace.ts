import { isGrpcServiceError, type Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { PathwaySearchAttribute } from '../../workflows/search-attributes.js';
import proto from '@temporalio/proto';
import Long from 'long';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { CLI_TYPE_NAMES } from './dev-server.js';

const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const RETENTION_SECONDS = 30 * 24 * 3600;

const indexedValueType = (type: SearchAttributeType) => proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];

async function namespaceExists(connection: Connection, namespace: string): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === NOT_FOUND) return false;
    throw error;
  }
}

async function createNamespace(connection: Connection, namespace: string, address: string, logger: Logger) {
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(RETENTION_SECONDS) },
    });
  } catch (error) {
    // The api and the workers start together: another of them may have just created it.
    if (isGrpcServiceError(error) && error.code === ALREADY_EXISTS) return;
    throw new Error(
      `Temporal namespace "${namespace}" does not exist and this service may not create it (${(error as Error).message}). ` +
        `An operator must run: temporal operator namespace create --namespace ${namespace} --retention 30d --address ${address} ` +
        '(on Temporal Cloud: create it in the Cloud UI or with tcld).',
    );
  }
  logger.info({ namespace }, 'created the Temporal namespace');
}

/** A new namespace becomes visible to every service only after their namespace caches refresh. */
async function listSearchAttributes(connection: Connection, namespace: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connection.operatorService.listSearchAttributes({ namespace });
    } catch (error) {
      if (!(isGrpcServiceError(error) && error.code === NOT_FOUND) || attempt >= 60) throw error;
      await sleep(500);
    }
  }
}

async function addSearchAttributes(
  connection: Connection,
  namespace: string,
  missing: PathwaySearchAttribute[],
  address: string,
) {
  const searchAttributes = Object.fromEntries(missing.map((key) => [key.name, indexedValueType(key.type)]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (error) {
    // Added meanwhile by another process of the service starting at the same time.
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace }).catch(() => ({ customAttributes: {} as Record<string, unknown> }));
    if (missing.every((key) => key.name in customAttributes)) return;
    const commands = missing.map(
      (key) =>
        `temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${CLI_TYPE_NAMES[key.type]} --address ${address}`,
    );
    throw new Error(
      `Temporal namespace "${namespace}" lacks the search attributes ${missing.map((k) => k.name).join(', ')} and this service may not add them ` +
        `(${(error as Error).message}). An operator must run:\n${commands.join('\n')}\n(on Temporal Cloud: tcld namespace search-attributes add).`,
    );
  }
}

/**
 * Checks that an existing Temporal server has the namespace and search attributes the service
 * needs, creating them where it is allowed to and otherwise naming the commands an operator must run.
 */
export async function ensureNamespace(options: {
  connection: Connection;
  namespace: string;
  address: string;
  searchAttributes: PathwaySearchAttribute[];
  logger: Logger;
}): Promise<void> {
  const { connection, namespace, address, logger } = options;
  if (!(await namespaceExists(connection, namespace))) await createNamespace(connection, namespace, address, logger);

  const { customAttributes } = await listSearchAttributes(connection, namespace);
  const wrongType = options.searchAttributes.filter(
    (key) => key.name in customAttributes && customAttributes[key.name] !== indexedValueType(key.type),
  );
  if (wrongType.length > 0) {
    throw new Error(
      `Temporal search attributes with the wrong type in namespace "${namespace}": ${wrongType.map((k) => `${k.name} must be ${k.type}`).join(', ')}`,
    );
  }
  const missing = options.searchAttributes.filter((key) => !(key.name in customAttributes));
  if (missing.length > 0) {
    await addSearchAttributes(connection, namespace, missing, address);
    logger.info({ namespace, added: missing.map((k) => k.name) }, 'added Temporal search attributes');
  }
  // Another process may have added them a moment ago: one query when they are usable already.
  await untilUsable(connection, namespace, options.searchAttributes);
}

const PROBE_VALUES: Record<SearchAttributeType, string> = {
  TEXT: "'probe'",
  KEYWORD: "'probe'",
  KEYWORD_LIST: "'probe'",
  INT: '0',
  DOUBLE: '0',
  BOOL: 'true',
  DATETIME: "'2000-01-01T00:00:00Z'",
};

/**
 * New search attributes reach a frontend with its next namespace cache refresh (every 2 seconds
 * by default); until then a workflow started with them is refused. A visibility query that names
 * them is checked against the same cache: once it passes, starts do too.
 */
async function untilUsable(connection: Connection, namespace: string, keys: PathwaySearchAttribute[]) {
  const query = keys.map((key) => `${key.name} = ${PROBE_VALUES[key.type]}`).join(' AND ');
  for (let attempt = 0; ; attempt++) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query });
      return;
    } catch (error) {
      if (attempt >= 120) throw error;
      await sleep(250);
    }
  }
}
