import fc from 'fast-check';
import { webhookBodies } from '../../src/api/routes/webhooks.js';
import { arbitraryOf, jsonSchemaOf, type Hints, type Tagged } from './arbitraries.js';
import { authFor, build, cursor, jsonBody, weighted } from './request-parts.js';

const { CreateWebhook, UpdateWebhook } = webhookBodies(false);
const all = ['coordinator', 'staff', 'supervisor'];
/** Addresses a supervisor might type, hostile ones among them. */
const url = fc.constantFrom('https://cases.example.org/hook', 'http://127.0.0.1:9/hook', 'http://10.0.0.1/hook', 'ftp://x', 'https://u:p@x.org/', 'javascript:alert(1)', '', 'https://x.org/#frag');

/** The request table's entries for webhooks: adding, changing, removing, rotating, the log; hook ids stood for by pathway ids. */
export function webhookRequests(id: fc.Arbitrary<Tagged<string>>, hints: Hints) {
  const withUrl: Hints = { ...hints, url: (own) => fc.oneof(url, own) };
  return [
    weighted(1, authFor(all).map((auth) => build('GET /v1/webhooks', 'GET', '/v1/webhooks', auth, {}))),
    weighted(2, fc.tuple(authFor(all), jsonBody(arbitraryOf(jsonSchemaOf(CreateWebhook), withUrl))).map(([auth, body]) => build('POST /v1/webhooks', 'POST', '/v1/webhooks', auth, { body }))),
    weighted(2, fc.tuple(authFor(all), id, jsonBody(arbitraryOf(jsonSchemaOf(UpdateWebhook), withUrl))).map(([auth, hid, body]) =>
      build('PATCH /v1/webhooks/{id}', 'PATCH', `/v1/webhooks/${hid.value}`, auth, { body, tags: [hid.tag] }),
    )),
    weighted(1, fc.tuple(authFor(all), id).map(([auth, hid]) => build('DELETE /v1/webhooks/{id}', 'DELETE', `/v1/webhooks/${hid.value}`, auth, { tags: [hid.tag] }))),
    weighted(1, fc.tuple(authFor(all), id).map(([auth, hid]) => build('POST /v1/webhooks/{id}/rotate-secret', 'POST', `/v1/webhooks/${hid.value}/rotate-secret`, auth, { tags: [hid.tag] }))),
    weighted(1, fc.tuple(authFor(all), id, fc.oneof(fc.constantFrom('', '?limit=0', '?limit=100', '?x=1'), cursor.map((c) => `?cursor=${c}`))).map(([auth, hid, q]) =>
      build('GET /v1/webhooks/{id}/deliveries', 'GET', `/v1/webhooks/${hid.value}/deliveries${q}`, auth, { tags: [hid.tag, q ? `query${q.slice(0, 40)}` : ''] }),
    )),
  ];
}
