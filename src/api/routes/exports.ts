import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXPORT_REASONS, exportLog, type ExportReason } from '../../db/export-log.js';
import { validationError } from '../../errors.js';
import { accessLogOf, caseloadExport, pathwaysExport, stageDurationsExport, worklistExport, type ExportSpec } from '../../exports/lists.js';
import { indicatorsExport, statisticsExport } from '../../exports/reports.js';
import { startExport } from '../../exports/run.js';
import { MEDIA_TYPES } from '../../exports/write.js';
import { scopeOf } from '../../pathways/access.js';
import { PRINT_LANGUAGES } from '../../print/locale.js';
import { indicatorsOf, statisticsOf } from '../../reports/compute.js';
import type { Actor } from '../../domain/model.js';
import type { AppDeps } from '../deps.js';
import { FreeText, ListQuery, withProblems } from '../schemas.js';
import { DATES_OUT_OF_ORDER, datesInOrder, IndicatorFilters } from './indicators.js';
import { StatisticsFilters } from './statistics.js';
import { WorklistQuery } from './worklist.js';

/** How the file is made: format, separator (CSV), the headings' language. */
const FileOptions = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv').describe('csv: UTF-8 with a byte order mark, so Excel reads Cyrillic; xlsx: one sheet'),
  separator: z.enum([';', ',']).default(';').describe('CSV only: `;` (Excel in most of the region) or `,`'),
  lang: z.enum(PRINT_LANGUAGES).default('en').describe("The headings' language; columns are always in the same order, values are codes"),
});

/** Why people leave the service in a file: required for an export that names people. */
const Reason = z.object({
  reason: z.enum(EXPORT_REASONS).optional().describe('Required for an export that names people (pathways, worklist); written to the export log'),
  note: FreeText(1, 300).optional().describe('A few words more about the reason (a case number, a meeting), for the export log'),
});

const PathwaysExportQuery = ListQuery.omit({ limit: true, cursor: true }).extend(FileOptions.shape).extend(Reason.shape).strict();
const WorklistExportQuery = WorklistQuery.omit({ limit: true, cursor: true }).extend(FileOptions.shape).extend(Reason.shape).strict();
const CaseloadExportQuery = FileOptions.extend({
  by: z.enum(['programme', 'stage', 'worker']).default('programme').describe('programme: men, women, children; stage: people by current stage; worker: each worker\'s load'),
}).strict();
const ReportExportQuery = FileOptions.strict();
const IndicatorsExportQuery = IndicatorFilters.extend(FileOptions.shape).strict().refine(datesInOrder, DATES_OUT_OF_ORDER);
const StatisticsExportQuery = StatisticsFilters.extend(FileOptions.shape).strict().refine(datesInOrder, DATES_OUT_OF_ORDER);

const File = {
  description: 'The file, streamed as it is read',
  content: {
    'text/csv': { schema: z.string().meta({ format: 'binary' }) },
    [MEDIA_TYPES.xlsx]: { schema: z.string().meta({ format: 'binary' }) },
  },
} as unknown as z.ZodType;

const ExportLogEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string(),
  actorRole: z.string(),
  actorOrg: z.string(),
  list: z.string(),
  filters: z.record(z.string(), z.unknown()).describe('The filters as asked'),
  format: z.enum(['csv', 'xlsx']),
  personal: z.boolean().describe('The file names people: each pathway in it is in its access log (export)'),
  reason: z.string().nullable(),
  reasonNote: z.string().nullable(),
  requestId: z.string().describe('The access log entries of this export carry the same request id'),
  pathways: z.number().describe('Pathways written to their access logs'),
  rows: z.number().nullable().describe('Rows written to the file; null while it is being written'),
  finished: z.boolean().describe('False when the file was not read to its end'),
});
const ExportLog = z.object({ items: z.array(ExportLogEntry), nextBefore: z.number().nullable() });
export type ExportLogBody = z.infer<typeof ExportLog>;

const ExportLogQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.coerce.number().int().min(1).optional().describe('nextBefore of the previous page'),
  })
  .strict();

type FileQuery = z.infer<typeof FileOptions> & { reason?: ExportReason; note?: string };

const PERSONAL_DESCRIPTION =
  'Needs a reason (reason, and a note if wanted): the file names people. Each pathway in it is written to its access log (export), by one ' +
  'statement for the whole file, and the export to the export log (GET /v1/exports). Text a spreadsheet would run as a formula (starting ' +
  "with =, +, -, @, a tab or a carriage return) starts with an apostrophe in CSV and is a text cell in XLSX.";

export const exportRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const scope = (actor: Actor) => scopeOf(actor, deps.config);

  /** Streams the export; a file naming people is refused without a reason. */
  async function send(reply: FastifyReply, actor: Actor, requestId: string, spec: ExportSpec, query: FileQuery) {
    if (accessLogOf(spec) && !query.reason) {
      throw validationError([{ path: 'querystring.reason', message: 'an export that names people needs a reason', code: 'export-needs-reason', params: { options: [...EXPORT_REASONS] } }]);
    }
    const { format, separator, lang, reason, note, ...filters } = query;
    const file = await startExport(deps, spec, { actor, requestId, format, separator, lang, filters, reason, reasonNote: note });
    // Named by the list and the day: a file name is no place for a person's name.
    const name = `${spec.list}-${new Date().toISOString().slice(0, 10)}.${format}`;
    reply.type(MEDIA_TYPES[format]).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');
    return reply.send(file);
  }

  app.get(
    '/v1/exports/pathways',
    {
      config: { roles: ['coordinator', 'supervisor'] },
      schema: {
        summary: 'The pathways list as a CSV or XLSX file: the filters and scope of GET /v1/pathways, every row',
        description: PERSONAL_DESCRIPTION,
        tags: ['exports'],
        querystring: PathwaysExportQuery,
        response: withProblems({ 200: File }, 403),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const spec = pathwaysExport(
        {
          programme: q.programme, operation: q.operation, stage: q.stage, status: q.status, overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
          phase: q.phase, arrivalDate: q.arrivalDate, familyGroup: q.familyGroup, organisation: scope(request.actor), readerOrg: request.actor.org,
        },
        request.actor,
        request.id,
      );
      return send(reply, request.actor, request.id, spec, q);
    },
  );

  app.get(
    '/v1/exports/worklist',
    {
      config: { roles: ['coordinator', 'staff', 'supervisor'] },
      schema: { summary: "The caller's worklist as a CSV or XLSX file, every row", description: PERSONAL_DESCRIPTION, tags: ['exports'], querystring: WorklistExportQuery, response: withProblems({ 200: File }, 403) },
    },
    async (request, reply) => {
      const { actor } = request;
      if (request.query.kind === 'approvals' && actor.role !== 'supervisor') {
        throw validationError([{ path: 'querystring.kind', message: 'approvals are decisions only supervisors take', code: 'approvals-supervisors-only' }]);
      }
      const spec = worklistExport(
        { organisation: actor.org, actor: { id: actor.id, role: actor.role }, programme: request.query.programme, decisionsOnly: request.query.kind === 'approvals' },
        actor,
        request.id,
      );
      return send(reply, actor, request.id, spec, request.query);
    },
  );

  app.get(
    '/v1/exports/caseload',
    {
      config: { roles: ['supervisor'] },
      schema: { summary: 'The caseload report as a CSV or XLSX file: counts only, no reason needed', tags: ['exports'], querystring: CaseloadExportQuery, response: withProblems({ 200: File }, 403) },
    },
    async (request, reply) => {
      const { by, ...file } = request.query;
      return send(reply, request.actor, request.id, caseloadExport(by, scope(request.actor)), { ...file, by } as FileQuery);
    },
  );

  app.get(
    '/v1/exports/stage-durations',
    {
      config: { roles: ['supervisor'] },
      schema: { summary: 'The stage durations report as a CSV or XLSX file: counts only, no reason needed', tags: ['exports'], querystring: ReportExportQuery, response: withProblems({ 200: File }, 403) },
    },
    async (request, reply) => send(reply, request.actor, request.id, stageDurationsExport(scope(request.actor)), request.query),
  );

  app.get(
    '/v1/exports/indicators',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'The outcome indicators as a CSV or XLSX file: one row per programme and indicator, the filters of GET /v1/reports/indicators; counts only, no reason needed',
        tags: ['exports'],
        querystring: IndicatorsExportQuery,
        response: withProblems({ 200: File }, 403),
      },
    },
    async (request, reply) => {
      const { format, separator, lang, ...filters } = request.query;
      const programmes = await indicatorsOf(deps.pool, deps.templates, { ...filters, organisation: scope(request.actor) });
      return send(reply, request.actor, request.id, indicatorsExport(programmes, deps.templates), request.query);
    },
  );

  app.get(
    '/v1/exports/statistics',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: 'The statistics safe to publish as a CSV or XLSX file: one row per cell (table, row, column, value, hidden, note), a hidden cell always empty and never saying why',
        tags: ['exports'],
        querystring: StatisticsExportQuery,
        response: withProblems({ 200: File }, 403),
      },
    },
    async (request, reply) => {
      const { format, separator, lang, ...filters } = request.query;
      const statistics = await statisticsOf(deps, { ...filters, organisation: scope(request.actor) });
      return send(reply, request.actor, request.id, statisticsExport(statistics), request.query);
    },
  );

  app.get(
    '/v1/exports',
    {
      config: { roles: ['supervisor'] },
      schema: {
        summary: "The export log, newest first: the organisation's exports (oversight: every organisation's)",
        tags: ['exports'],
        querystring: ExportLogQuery,
        response: withProblems({ 200: ExportLog }, 403),
      },
    },
    async (request) => exportLog(deps.pool, { organisation: scope(request.actor), before: request.query.before, limit: request.query.limit }),
  );
};
