import fc from 'fast-check';
import { hostileText, type Tagged } from './arbitraries.js';
import { authFor, build, cursor, encodeLoose, jsonBody, weighted } from './request-parts.js';

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

const INBOX_QUERIES = ['', '?state=unread', '?state=all&limit=100', '?state=read', '?limit=0', '?limit=101', '?state=unread&state=all', '?extra=1'];

const preferences = fc.record(
  { email: fc.constantFrom('each', 'daily', 'off', 'weekly', ''), language: fc.constantFrom('en', 'ru', null, 'de', 'EN') },
  { requiredKeys: [] },
);

/** The inbox: pages, filters and marking read, with ids that exist, ids that do not, and nonsense. */
export function inboxRequests(id: fc.Arbitrary<Tagged<string>>) {
  const everyone = authFor(['coordinator', 'staff', 'supervisor']);
  const read = fc.oneof(
    fc.array(id.map((i) => i.value), { minLength: 0, maxLength: 3 }).map((ids) => ({ ids })),
    fc.constant({ all: true }),
    fc.constant({ all: false }),
    fc.constant({ ids: ['x'], all: true }),
  );
  return [
    weighted(1, fc.tuple(everyone, fc.constantFrom(...INBOX_QUERIES), fc.option(cursor, { nil: undefined })).map(([auth, query, after]) =>
      build('GET /v1/notifications', 'GET', `/v1/notifications${query}${after ? `${query ? '&' : '?'}cursor=${after}` : ''}`, auth, { tags: [query || 'query:none'] }),
    )),
    weighted(1, everyone.map((auth) => build('GET /v1/notifications/unread', 'GET', '/v1/notifications/unread', auth, {}))),
    weighted(1, fc.tuple(everyone, jsonBody(read)).map(([auth, body]) => build('POST /v1/notifications/read', 'POST', '/v1/notifications/read', auth, { body }))),
    weighted(1, everyone.map((auth) => build('GET /v1/me/notification-preferences', 'GET', '/v1/me/notification-preferences', auth, {}))),
    weighted(1, fc.tuple(everyone, jsonBody(preferences)).map(([auth, body]) =>
      build('PUT /v1/me/notification-preferences', 'PUT', '/v1/me/notification-preferences', auth, { body }),
    )),
    weighted(1, everyone.map((auth) => build('GET /v1/dev/mail', 'GET', '/v1/dev/mail', auth, {}))),
  ];
}

/** Each person's e-mail preferences, and the development mail catcher (absent from the fuzz's app: 404). */
export function preferenceRequests() {
  const everyone = authFor(['coordinator', 'staff', 'supervisor']);
  const preferences = fc.oneof(
    fc.record({ email: fc.constantFrom('each', 'daily', 'off'), language: fc.constantFrom('en', 'ru', null) }),
    fc.constant({ email: 'weekly', language: 'de' }),
    fc.jsonValue(),
  );
  return [
    weighted(1, everyone.map((auth) => build('GET /v1/me/notification-preferences', 'GET', '/v1/me/notification-preferences', auth, {}))),
    weighted(1, fc.tuple(everyone, jsonBody(preferences)).map(([auth, body]) => build('PUT /v1/me/notification-preferences', 'PUT', '/v1/me/notification-preferences', auth, { body }))),
    weighted(1, everyone.map((auth) => build('GET /v1/dev/mail', 'GET', '/v1/dev/mail', auth, {}))),
  ];
}
