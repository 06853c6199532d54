import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApi } from '../helpers/api.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
let document: {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
};

/** A request body's schema, following a reference into the components. */
function bodySchema(path: string, method: string): JsonSchema {
  const schema = document.paths[path]![method]!.requestBody!.content['application/json']!.schema;
  return schema.$ref ? document.components.schemas[schema.$ref.split('/').at(-1)!]! : schema;
}

interface JsonSchema {
  required?: string[];
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $ref?: string;
}

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\./);
  });

  it('describes exactly the routes the API serves', () => {
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(
      [
        'POST /v1/pathways',
        'GET /v1/pathways',
        'GET /v1/pathways/{id}',
        'POST /v1/pathways/{id}/actions',
        'POST /v1/bulk-actions',
        'GET /v1/pathways/{id}/history',
        'GET /v1/pathways/{id}/access-log',
        'GET /v1/pathways/{id}/family',
        'GET /v1/pathways/{id}/summary.pdf',
        'POST /v1/pathways/{id}/prints',
        'POST /codec/decode',
        'POST /v1/cohorts',
        'POST /v1/cohorts/csv',
        'GET /v1/reports/caseload',
        'GET /v1/reports/stage-durations',
        'GET /v1/exports',
        'GET /v1/exports/pathways',
        'GET /v1/exports/worklist',
        'GET /v1/exports/caseload',
        'GET /v1/exports/stage-durations',
        'GET /v1/exports/indicators',
        'GET /v1/exports/statistics',
        'GET /v1/reports/indicators',
        'GET /v1/statistics',
        'PUT /v1/statistics/public/{programme}',
        'GET /public/statistics/{programme}',
        'GET /v1/worklist',
        'POST /v1/pathways/{id}/emergency-access',
        'GET /v1/emergency-access',
        'POST /v1/emergency-access/{grantId}/review',
        'GET /v1/organisations',
        'GET /v1/organisations/{org}/people',
        'GET /v1/pathways/{id}/possible-duplicates',
        'GET /v1/duplicate-alerts',
        'GET /v1/duplicate-alerts/summary',
        'POST /v1/duplicate-alerts/{alertId}/review',
        'GET /v1/people',
        'GET /v1/me/notification-preferences',
        'PUT /v1/me/notification-preferences',
        'GET /v1/dev/mail',
        'GET /v1/notifications',
        'GET /v1/notifications/unread',
        'POST /v1/notifications/read',
        'GET /console/config.json',
        'GET /console/action-schemas.json',
        'POST /console/dev-token',
        'GET /v1/webhooks',
        'POST /v1/webhooks',
        'PATCH /v1/webhooks/{id}',
        'DELETE /v1/webhooks/{id}',
        'POST /v1/webhooks/{id}/rotate-secret',
        'GET /v1/webhooks/{id}/deliveries',
      ].sort(),
    );
  });

  it('documents the case summary as a PDF, in the languages the console has', () => {
    const route = (document.paths as any)['/v1/pathways/{id}/summary.pdf'].get;
    expect(Object.keys(route.responses['200'].content)).toEqual(['application/pdf']);
    expect(route.parameters.find((p: { name: string }) => p.name === 'lang').schema.enum).toEqual(['en', 'ru']);
  });

  it('requires the fields the route requires: leaving any of them out is refused', async () => {
    const schema = bodySchema('/v1/pathways', 'post');
    const body = { programme: 'KZ', operation: 'Zhusan', phase: '1', arrivalDate: ARRIVAL, person: person(30, ARRIVAL) };
    expect(schema.required!.sort()).toEqual(['arrivalDate', 'operation', 'person', 'programme']);
    expect(schema.properties!.person!.required!.sort()).toEqual(['birthDate', 'familyName', 'givenName', 'sex']);
    for (const field of schema.required!) {
      const { [field as keyof typeof body]: _, ...without } = body;
      const response = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/pathways', payload: without });
      expect(response.statusCode).toBe(400);
      expect(response.json().fields.map((f: { path: string }) => f.path)).toContain(`body.${field}`);
    }
    expect((await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/pathways', payload: body })).statusCode).toBe(201);
  });

  it("documents a cohort's file as bytes of a CSV file, not JSON", () => {
    const content = document.paths['/v1/cohorts/csv']!.post!.requestBody!.content;
    expect(Object.keys(content).sort()).toEqual(['application/octet-stream', 'text/csv']);
  });

  it('documents every action type with its payload', () => {
    const schema = bodySchema('/v1/pathways/{id}/actions', 'post');
    const variants = (schema.oneOf ?? schema.anyOf)!;
    const types = variants.map((v) => (v.properties!.type as { const?: string }).const);
    expect(types).toContain('placement.approve');
    expect(types).toContain('follow-up.record-check-in');
    const checkIn = variants.find((v) => (v.properties!.type as { const?: string }).const === 'follow-up.record-check-in')!;
    expect(checkIn.required).toEqual(expect.arrayContaining(['type', 'payload']));
  });

  it('documents errors[] of a problem: a pointer, a code of the closed catalogue and its params', () => {
    const problem = document.components.schemas.Problem as JsonSchema & { properties: Record<string, { items?: JsonSchema }> };
    expect(problem.required).toContain('errors');
    const item = problem.properties.errors!.items!;
    const error = (item.$ref ? document.components.schemas[item.$ref.split('/').at(-1)!] : item) as JsonSchema & { properties: Record<string, { enum?: string[] }> };
    expect(error.required).toEqual(expect.arrayContaining(['pointer', 'code', 'params']));
    expect(error.properties.code!.enum).toEqual(expect.arrayContaining(['required', 'not-one-of', 'screening-already-cleared', 'stage-not-started', 'validation-failed']));
  });
});
