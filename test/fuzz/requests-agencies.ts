import fc from 'fast-check';
import { AlertReview } from '../../src/api/routes/duplicates.js';
import { EmergencyAccessRequest, ReviewRequest } from '../../src/api/routes/emergency.js';
import { arbitraryOf, jsonSchemaOf, type Hints, type Tagged } from './arbitraries.js';
import { authFor, build, cursor, jsonBody, weighted } from './request-parts.js';

/** The request table's entries for working across organisations: emergency access and its review, the directory. */
export function agenciesRequests(id: fc.Arbitrary<Tagged<string>>, hints: Hints) {
  return [
    weighted(2, fc.tuple(authFor(['staff', 'supervisor']), id, jsonBody(arbitraryOf(jsonSchemaOf(EmergencyAccessRequest), hints))).map(([auth, pid, body]) =>
      build('POST /v1/pathways/{id}/emergency-access', 'POST', `/v1/pathways/${pid.value}/emergency-access`, auth, { body, tags: [pid.tag] }),
    )),
    weighted(1, fc.tuple(authFor(['supervisor']), fc.oneof(fc.constantFrom('', '?status=all', '?status=reviewed', '?status=x', '?limit=0', '?limit=100&cursor=%00', '?x=1'), cursor.map((c) => `?cursor=${c}`))).map(([auth, q]) =>
      build('GET /v1/emergency-access', 'GET', `/v1/emergency-access${q}`, auth, { tags: q ? [`query${q.slice(0, 40)}`] : [] }),
    )),
    weighted(1, authFor(['coordinator', 'staff', 'supervisor']).map((auth) => build('GET /v1/organisations', 'GET', '/v1/organisations', auth, {}))),
    // Organisations of the directory, others, and hostile text in the path and query.
    weighted(1, fc.tuple(authFor(['coordinator', 'supervisor', 'staff']), fc.oneof(fc.constantFrom('mlsp', 'clinic', 'MLSP', 'oversight', '%00', 'a'.repeat(120)), id.map((i) => i.value)), fc.constantFrom('', '?limit=0', '?limit=500', '?limit=x', '?x=1')).map(([auth, org, q]) =>
      build('GET /v1/organisations/{org}/people', 'GET', `/v1/organisations/${org}/people${q}`, auth, { tags: q ? [`query${q}`] : [] }),
    )),
    // Grant ids: pathway ids stand for unknown and malformed ones.
    weighted(1, fc.tuple(authFor(['supervisor']), id, jsonBody(arbitraryOf(jsonSchemaOf(ReviewRequest), hints))).map(([auth, gid, body]) =>
      build('POST /v1/emergency-access/{grantId}/review', 'POST', `/v1/emergency-access/${gid.value}/review`, auth, { body, tags: [gid.tag] }),
    )),
    // Possible duplicates: of a pathway, and oversight's queue across organisations with its review.
    weighted(1, fc.tuple(authFor(['coordinator', 'supervisor', 'staff']), id).map(([auth, pid]) =>
      build('GET /v1/pathways/{id}/possible-duplicates', 'GET', `/v1/pathways/${pid.value}/possible-duplicates`, auth, { tags: [pid.tag] }),
    )),
    weighted(1, fc.tuple(authFor(['supervisor']), fc.oneof(fc.constantFrom('', '?status=all', '?status=reviewed', '?status=x', '?limit=0', '?x=1'), cursor.map((c) => `?cursor=${c}`))).map(([auth, q]) =>
      build('GET /v1/duplicate-alerts', 'GET', `/v1/duplicate-alerts${q}`, auth, { tags: q ? [`query${q.slice(0, 40)}`] : [] }),
    )),
    weighted(1, authFor(['supervisor', 'coordinator']).map((auth) => build('GET /v1/duplicate-alerts/summary', 'GET', '/v1/duplicate-alerts/summary', auth, {}))),
    weighted(1, fc.tuple(authFor(['supervisor']), id, jsonBody(arbitraryOf(jsonSchemaOf(AlertReview), hints))).map(([auth, aid, body]) =>
      build('POST /v1/duplicate-alerts/{alertId}/review', 'POST', `/v1/duplicate-alerts/${aid.value}/review`, auth, { body, tags: [aid.tag] }),
    )),
  ];
}
