import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cohortFile, CSV_COLUMNS } from '../../domain/cohort-csv.js';
import { fileText } from '../../domain/file-text.js';
import { AppError } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

/** A cohort file of the most people one request opens, each line long, in UTF-16: well under this. */
const FILE_LIMIT_BYTES = 1024 * 1024;
const FILE_TYPES = ['text/csv', 'application/octet-stream'];

const CohortFileAnswer = z.object({
  encoding: z.enum(['UTF-8', 'UTF-16LE', 'UTF-16BE', 'windows-1251', 'KOI8-R']).describe('The encoding the file was read in'),
  columns: z.array(z.string()).describe('The header row as written'),
  unknownColumns: z.array(z.string()).describe(`Columns left out: the known ones are ${CSV_COLUMNS.join(', ')}`),
  people: z
    .array(z.object({ familyGroupId: z.string().optional(), person: z.record(z.string(), z.union([z.string(), z.boolean()])) }))
    .describe("One entry per row, as POST /v1/cohorts takes them (its preview says what is wrong with the values)"),
  lines: z.array(z.number().int()).describe("The file's line each entry of people starts on (the header is line 1)"),
  problems: z.array(z.object({ row: z.number().int(), line: z.number().int(), message: z.string() })).describe('What the file gets wrong, by row (index into people)'),
});

/**
 * A cohort's CSV file read as people save it: the encoding detected and converted, the rows
 * turned into the people of a cohort request. Opens nothing: the console previews them next.
 */
export const cohortFileRoutes: FastifyPluginAsyncZod<AppDeps> = async (app) => {
  // The file's bytes as sent, for this route only: the encoding is found here, not assumed.
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: FILE_LIMIT_BYTES }, (_request, body, done) => done(null, body));
  app.post(
    '/v1/cohorts/csv',
    {
      config: { roles: ['coordinator'] },
      bodyLimit: FILE_LIMIT_BYTES,
      schema: {
        summary: "Read a cohort's CSV file: its encoding, columns and people",
        description:
          'The body is the file itself (Content-Type text/csv or application/octet-stream), in UTF-8 (with or without BOM), UTF-16, ' +
          'Windows-1251 or KOI8-R; separated by commas, semicolons or tabs. Dates may be written DD.MM.YYYY. ' +
          'A file that is not such text (a workbook, an image) is refused with 400 unreadable-file and its reason.',
        tags: ['pathways'],
        consumes: FILE_TYPES,
        body: z.any().describe('The CSV file, as bytes'),
        response: withProblems({ 200: CohortFileAnswer }, 403, 413, 415),
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('unsupported-media-type', `Send the file itself, as ${FILE_TYPES.join(' or ')}.`);
      const read = fileText(request.body);
      if ('refused' in read) throw new AppError('unreadable-file', read.message, { reason: read.refused });
      // NFC, as the boundary makes every other request's text: the same name compares equal however it was typed.
      return { encoding: read.encoding, ...cohortFile(read.text.normalize('NFC')) };
    },
  );
};
