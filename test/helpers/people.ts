import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { ArrivedWith } from '../../src/domain/model.js';
import type { PersonRecord } from '../../src/domain/open.js';

/** Where every personal value a test sends is noted, so the run's logs can be searched for them. */
export const PERSONAL_VALUES_FILE = 'personal-values.txt';

/**
 * Every personal value the tests use comes from these lists, so the run's logs and Temporal
 * histories can be searched for them afterwards.
 */
export const GIVEN_NAMES = ['Aigerimka', 'Dilnozakhon', 'Zarinabonu', 'Madinakhon', 'Safiyabonu', 'Timurbek', 'Yusufjon', 'Bilolidin'];
export const FAMILY_NAMES = ['Karimovaya', 'Yusupovaya', 'Nurlanovaya', 'Saidovaya', 'Rakhimovaya', 'Tursunovaya'];
export const PATRONYMICS = ['Rustamovna', 'Alisherovna', 'Bakhtiyorovich'];

let next = 0;

/**
 * A person of the given age on the arrival date. Names go through every combination of the lists
 * above (144) before one comes back, so a test file's people are not taken for one another by the
 * duplicate check unless a test means them to be.
 */
export function person(
  age: number,
  arrivalDate: string,
  overrides: Partial<PersonRecord> & { arrivedWith?: ArrivedWith } = {},
): PersonRecord {
  next += 1;
  const [year, month, day] = arrivalDate.split('-').map(Number) as [number, number, number];
  const birth = new Date(Date.UTC(year - age, month - 1, day - 40));
  const record: PersonRecord = {
    givenName: GIVEN_NAMES[next % GIVEN_NAMES.length]!,
    familyName: FAMILY_NAMES[Math.floor(next / GIVEN_NAMES.length) % FAMILY_NAMES.length]!,
    patronymic: PATRONYMICS[Math.floor(next / (GIVEN_NAMES.length * FAMILY_NAMES.length)) % PATRONYMICS.length],
    sex: age >= 18 || next % 2 === 0 ? 'female' : 'male',
    birthDate: birth.toISOString().slice(0, 10),
    arrivedWith: age >= 18 ? 'adult' : 'mother',
    hasIdentityDocument: false,
    hasBirthCertificate: false,
    ...overrides,
  };
  const values = [record.givenName, record.familyName, record.patronymic, record.birthDate].filter(Boolean);
  appendFileSync(path.join(inject('dataDir'), PERSONAL_VALUES_FILE), `${values.join('\n')}\n`);
  return record;
}

/** Every personal value a test could have sent. */
export function personalValues(): string[] {
  return [...GIVEN_NAMES, ...FAMILY_NAMES, ...PATRONYMICS];
}
