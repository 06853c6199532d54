import { randomUUID } from 'node:crypto';
import type { ArrivedWith } from '../../src/domain/model.js';
import { distinctSurname } from '../../test/helpers/distinct-names.js';

/** The four programmes of config/pathways. */
export type Programme = 'KZ' | 'UZ' | 'TJ' | 'KG';

/** Table 1 of the field report (seed 004): repatriates by country. */
export const TABLE_1: Record<Programme, { men: number; women: number; children: number }> = {
  KZ: { men: 37, women: 188, children: 497 },
  UZ: { men: 0, women: 141, children: 334 },
  TJ: { men: 0, women: 0, children: 84 },
  KG: { men: 0, women: 0, children: 79 },
};
export type Table = typeof TABLE_1;

/** Table 1 scaled down (each figure rounded, at least one child per programme), for quick runs. */
export function scaledTable(factor: number): Table {
  const scale = (n: number) => Math.round(n * factor);
  const entries = (Object.entries(TABLE_1) as [Programme, Table[Programme]][]).map(([programme, row]) => [
    programme,
    { men: scale(row.men), women: scale(row.women), children: Math.max(1, scale(row.children)) },
  ]);
  return Object.fromEntries(entries) as Table;
}

export const tableTotal = (table: Table) => Object.values(table).reduce((sum, r) => sum + r.men + r.women + r.children, 0);

/** Each programme's arrivals: its operations and phases (config/pathways/*.json), with illustrative dates. */
const ARRIVALS: Record<Programme, { operation: string; phase?: string; arrivalDate: string }[]> = {
  KZ: [
    { operation: 'Zhusan', phase: '1', arrivalDate: '2019-01-06' },
    { operation: 'Zhusan', phase: '2', arrivalDate: '2019-05-09' },
    { operation: 'Zhusan', phase: '3', arrivalDate: '2019-05-28' },
    { operation: 'Zhusan', phase: '4', arrivalDate: '2019-06-10' },
    { operation: 'Zhusan', phase: '5', arrivalDate: '2021-02-04' },
    { operation: 'Rusafa', arrivalDate: '2019-11-20' },
  ],
  UZ: [
    { operation: 'Mehr', phase: '1', arrivalDate: '2019-05-30' },
    { operation: 'Mehr', phase: '2', arrivalDate: '2019-10-03' },
    { operation: 'Mehr', phase: '3', arrivalDate: '2020-12-10' },
    { operation: 'Mehr', phase: '4', arrivalDate: '2021-04-28' },
  ],
  TJ: [{ operation: 'Iraq', arrivalDate: '2019-04-30' }],
  KG: [{ operation: 'Meerim', arrivalDate: '2021-03-16' }],
};

const GIVEN = ['Aigerim', 'Madina', 'Zarina', 'Dilnoza', 'Safiya', 'Timur', 'Yusuf', 'Bilol', 'Amina', 'Ibrohim'];
const FAMILY = ['Karimova', 'Yusupova', 'Nurlanova', 'Saidova', 'Rakhimova', 'Tursunova', 'Abdullayeva', 'Ismoilova'];

export interface Member {
  familyGroupId?: string;
  person: { givenName: string; familyName: string; sex: 'male' | 'female'; birthDate: string; arrivedWith: ArrivedWith };
}

/** A birth date that makes the person `age` on the arrival date (birthdays spread over the year before it). */
function bornAt(arrivalDate: string, age: number, n: number): string {
  const arrival = new Date(`${arrivalDate}T00:00:00Z`);
  const birth = new Date(Date.UTC(arrival.getUTCFullYear() - age, arrival.getUTCMonth(), arrival.getUTCDate() - 1 - (n * 37) % 360));
  return birth.toISOString().slice(0, 10);
}

function member(n: number, age: number, arrivalDate: string, arrivedWith: ArrivedWith, sex: 'male' | 'female', group?: string): Member {
  // A family's own second name: the same few names and birthdays again would be taken for the same people.
  const familyName = `${FAMILY[(n >> 2) % FAMILY.length]!} ${distinctSurname(group ?? randomUUID())}`;
  const person = { givenName: GIVEN[n % GIVEN.length]!, familyName, sex, birthDate: bornAt(arrivalDate, age, n), arrivedWith };
  return group ? { familyGroupId: group, person } : { person };
}

/** Splits `total` into `parts` near-equal whole numbers. */
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/** Who one person is, before a cohort gives them an arrival date. */
interface Spec {
  n: number;
  age: number;
  arrivedWith: ArrivedWith;
  sex: 'male' | 'female';
  group?: string;
}

/**
 * The families of one programme: each woman with her children (a share of the children), the
 * men alone, and children without a parent in sibling groups of up to three (Kazakhstan's
 * orphans, and all of Tajikistan's and Kyrgyzstan's children).
 */
function families(programme: Programme, row: Table[Programme], prefix: string): Spec[][] {
  let n = 0;
  const out: Spec[][] = [];
  const minAge = programme === 'KG' ? 2 : 0;
  const child = (arrivedWith: ArrivedWith, group: string): Spec => ({ n, age: minAge + ((n * 7) % (17 - minAge)), arrivedWith, sex: n++ % 2 ? 'male' : 'female', group });
  const orphans = row.women === 0 ? row.children : Math.round((row.children * (programme === 'KZ' ? 32 : 0)) / 497);
  const withMothers = split(row.children - orphans, Math.max(1, row.women));
  for (let w = 0; w < row.women; w++) {
    const group = `${prefix}-${programme}-m${w}`;
    const mother: Spec = { n: n++, age: 22 + ((w * 5) % 23), arrivedWith: 'adult', sex: 'female', group };
    out.push([mother, ...Array.from({ length: withMothers[w]! }, () => child('mother', group))]);
  }
  for (let m = 0; m < row.men; m++) out.push([{ n: n++, age: 24 + ((m * 3) % 30), arrivedWith: 'adult', sex: 'male' }]);
  for (let s = 0; s < orphans; s += 3) {
    const group = `${prefix}-${programme}-s${s}`;
    out.push(Array.from({ length: Math.min(3, orphans - s) }, () => child(programme === 'KZ' ? 'orphan' : 'siblings', group)));
  }
  return out;
}

export interface CohortBody {
  programme: Programme;
  operation: string;
  phase?: string;
  arrivalDate: string;
  people: Member[];
}

/**
 * The caseload as cohorts, one per operation (and phase), whole families in each. `prefix` keeps
 * family groups of different openings apart; `arrivalDate` overrides the historical dates.
 */
export function caseloadCohorts(table: Table, prefix: string, arrivalDate?: string): CohortBody[] {
  const cohorts: CohortBody[] = [];
  for (const programme of Object.keys(table) as Programme[]) {
    const arrivals = ARRIVALS[programme];
    const all = families(programme, table[programme], prefix);
    const shares = split(all.length, arrivals.length);
    let at = 0;
    arrivals.forEach((arrival, i) => {
      const date = arrivalDate ?? arrival.arrivalDate;
      const people = all.slice(at, (at += shares[i]!)).flat().map((p) => member(p.n, p.age, date, p.arrivedWith, p.sex, p.group));
      if (people.length) cohorts.push({ programme, operation: arrival.operation, ...(arrival.phase ? { phase: arrival.phase } : {}), arrivalDate: date, people });
    });
  }
  return cohorts;
}

/** A cohort of `size` in families of four: a mother and three children (Kazakhstan, Zhusan 1). */
export function familiesOfFour(size: number, prefix: string, arrivalDate: string): CohortBody {
  const people = Array.from({ length: size }, (_, i) => {
    const adult = i % 4 === 0;
    return member(i, adult ? 30 : 2 + (i % 14), arrivalDate, adult ? 'adult' : 'mother', adult || i % 2 ? 'female' : 'male', `${prefix}-f${Math.floor(i / 4)}`);
  });
  return { programme: 'KZ', operation: 'Zhusan', phase: '1', arrivalDate, people };
}

/** One person for a single open: a child with no group, or a woman (one in four). */
export function singlePerson(i: number, arrivalDate: string): Member {
  return i % 4 === 0 ? member(i, 30, arrivalDate, 'adult', 'female') : member(i, 2 + (i % 14), arrivalDate, 'unaccompanied', i % 2 ? 'male' : 'female');
}

/** The body of `POST /v1/pathways` for that person (Kazakhstan, Zhusan 1). */
export function singleOpening(i: number, arrivalDate: string) {
  const { familyGroupId: _, ...person } = singlePerson(i, arrivalDate);
  return { programme: 'KZ', operation: 'Zhusan', phase: '1', arrivalDate, ...person };
}
