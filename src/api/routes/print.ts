import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { readPathway } from '../../pathways/read.js';
import { PRINT_LANGUAGES, wordsFor } from '../../print/locale.js';
import { summaryPdf } from '../../print/summary-pdf.js';
import type { AppDeps } from '../deps.js';
import { PathwayParams, withProblems } from '../schemas.js';

const ALL_ROLES = ['coordinator', 'staff', 'supervisor'] as const;

const SummaryQuery = z
  .object({ lang: z.enum(PRINT_LANGUAGES).default('en').describe("The summary's language: one the console has") })
  .strict();

const PrintRequest = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('summary') }).strict(),
    z.object({ kind: z.literal('referral-letter'), referralId: z.string().min(1).max(40).describe('The referral the letter is for, as the pathway lists it') }).strict(),
  ])
  .describe('What the console is about to print');

const Printed = z.object({ kind: z.enum(['summary', 'referral-letter']), at: z.string() });

/**
 * A case summary or a referral letter leaves the screen on paper or as a file: each is a read of
 * the pathway, logged as what it is, and answers those who may read the pathway only.
 */
export const printRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/pathways/:id/summary.pdf',
    {
      config: { roles: ALL_ROLES, pathwayAccess: 'read' },
      schema: {
        summary: "The pathway's case summary as a PDF (A4), in the language asked for",
        description:
          'What the caller may read of the pathway, as the console\'s summary page shows it. Each download is in the access log (`download-summary`).',
        tags: ['pathways'],
        params: PathwayParams,
        querystring: SummaryQuery,
        response: withProblems(
          { 200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } } as unknown as z.ZodType },
          404,
          503,
        ),
      },
    },
    async (request, reply) => {
      const state = await readPathway(deps, request.actor, request.params.id, request.id, 'download-summary');
      const pdf = summaryPdf({
        state,
        words: wordsFor(request.query.lang),
        organisations: deps.config.organisations,
        madeBy: request.actor.id,
        madeAt: new Date(),
      });
      // Named by the pathway only: a file name is no place for a person's name.
      reply.type('application/pdf').header('content-disposition', `attachment; filename="pathway-${state.pathwayId}.pdf"`).header('cache-control', 'no-store');
      return reply.send(pdf);
    },
  );

  app.post(
    '/v1/pathways/:id/prints',
    {
      config: { roles: ALL_ROLES, pathwayAccess: 'read' },
      schema: {
        summary: 'Record that a case summary or a referral letter is being printed',
        description: 'The console sends it before it opens the print dialog: the print is in the access log (`print-summary` or `print-letter`).',
        tags: ['pathways'],
        params: PathwayParams,
        body: PrintRequest,
        response: withProblems({ 200: Printed }, 404, 503),
      },
    },
    async (request) => {
      const { body } = request;
      const state = await readPathway(deps, request.actor, request.params.id, request.id, body.kind === 'summary' ? 'print-summary' : 'print-letter');
      if (body.kind === 'referral-letter' && !state.referrals?.some((r) => r.id === body.referralId)) {
        throw new AppError('not-found', 'This pathway has no such referral that you may see.');
      }
      return { kind: body.kind, at: new Date().toISOString() };
    },
  );
};
