import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { openPathways } from '../../src/pathways/open.js';
import { NAME_PAIRS, type StoredName } from './name-pairs.js';
import { ACTORS, ARRIVAL, openDeps } from './pathways.js';
import { PERSONAL_VALUES_FILE, person } from './people.js';
import type { TestStack } from './stack.js';

export const nameKey = (name: StoredName) => `${name.givenName} ${name.familyName}`;

/**
 * Opens a pathway (in mlsp) for every person the name-pair table stores, each born in a year of
 * their own so no two could be taken for the same person; returns their ids by "given family".
 * The queries are noted as personal values too: the run's log is searched for them.
 */
export async function openNamePairPeople(stack: TestStack): Promise<Map<string, string>> {
  appendFileSync(path.join(inject('dataDir'), PERSONAL_VALUES_FILE), `${NAME_PAIRS.map((pair) => pair.query).join('\n')}\n`);
  const names = [...new Map(NAME_PAIRS.flatMap((pair) => (pair.expect === 'ranked-below' ? [pair.stored, pair.rival] : [pair.stored])).map((n) => [nameKey(n), n])).values()];
  const operation = stack.templates.get('UZ')!.operations[0]!.name;
  const requests = names.map((name, index) => ({
    request: { programme: 'UZ' as const, operation, arrivalDate: ARRIVAL, person: person(18 + index, ARRIVAL, { ...name, patronymic: undefined }) },
    fieldPrefix: '',
  }));
  const ids = new Map<string, string>();
  for (let start = 0; start < requests.length; start += 50) {
    const opened = await openPathways(openDeps(stack), ACTORS.coordinator, requests.slice(start, start + 50));
    opened.forEach((o, i) => ids.set(nameKey(names[start + i]!), o.id));
  }
  return ids;
}
