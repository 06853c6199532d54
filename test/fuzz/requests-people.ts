import fc from 'fast-check';
import { hostileText, type Tagged } from './arbitraries.js';
import { encodeLoose } from './requests.js';
import { authFor, build, cursor, weighted } from './request-parts.js';

const NAMES = ['Айша', 'Aisha Abdullaeva', 'محمد', 'Oʻrinboyev', 'ab', 'a', 'Ab%', "O'", '_', '%_%', 'Ali '.repeat(30)];
const FILTERS = ['', '&birthYear=1990', '&birthYear=1800', '&birthYear=x', '&familyGroup=f1', '&familyGroup=%00', '&operation=Zhusan', '&operation=z', '&limit=0', '&limit=51', '&q=x&q=y'];

/** The request table's entries for finding people: names in every script, hostile text, ids and filters. */
export function peopleRequests(id: fc.Arbitrary<Tagged<string>>) {
  const q = fc.oneof(
    fc.constantFrom(...NAMES).map((name) => ({ tag: 'q:name', value: encodeLoose(name) })),
    hostileText(0, 120).map((text) => ({ tag: 'q:hostile', value: encodeLoose(text) })),
    id.map((pid) => ({ tag: `q:${pid.tag}`, value: pid.value })),
  );
  return [
    weighted(3, fc.tuple(authFor(['coordinator', 'staff', 'supervisor']), fc.option(q, { nil: undefined }), fc.constantFrom(...FILTERS), fc.option(cursor, { nil: undefined })).map(
      ([auth, query, filter, after]) => {
        const url = `/v1/people?${query ? `q=${query.value}` : ''}${filter}${after ? `&cursor=${after}` : ''}`;
        return build('GET /v1/people', 'GET', url, auth, { tags: [query?.tag ?? 'q:none', filter ? `filter${filter.slice(0, 20)}` : ''] });
      },
    )),
  ];
}
