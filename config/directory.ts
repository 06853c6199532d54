// The organisation directory: who may sign in, refer, transfer and be assigned work. A declared
// list, read once with the rest of the configuration; an id no entry names is no organisation.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The kinds of organisation that work on pathways. */
export const OrganisationKind = z.enum(['ministry', 'ngo', 'clinic', 'legal-aid', 'oversight']);
export type OrganisationKind = z.infer<typeof OrganisationKind>;

const Name = z.string().trim().min(1, 'must not be empty').max(200);

export const OrganisationEntry = z
  .object({
    /** As tokens carry it in `org`; compared exactly, so `OVERSIGHT` is not `oversight`. */
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, dot, dash or underscore, at most 100'),
    kind: OrganisationKind,
    /** Its name in each console language; English at least. */
    names: z.object({ en: Name }).catchall(Name),
    /** The programmes (template codes) it works in: referrals and transfers to it are for these. */
    programmes: z.array(z.string().regex(/^[A-Z]{2,8}$/, 'must be a programme code such as KZ')).min(1, 'must name at least one programme'),
  })
  .strict();
export type OrganisationEntry = z.infer<typeof OrganisationEntry>;

const DirectoryFile = z
  .object({ organisations: z.array(OrganisationEntry).min(1, 'must list at least one organisation') })
  .strict()
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.organisations.forEach((entry, i) => {
      if (seen.has(entry.id)) context.addIssue({ code: 'custom', path: ['organisations', i, 'id'], message: `${entry.id} is listed twice` });
      seen.add(entry.id);
    });
  });

/** Reads the directory file: its entries, or one problem per field at fault, naming the file. */
export function readDirectory(file: string): { organisations?: OrganisationEntry[]; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { problems: [`ORGANISATIONS_FILE: ${file} cannot be read (${reason})`] };
  }
  const parsed = DirectoryFile.safeParse(json);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `ORGANISATIONS_FILE: ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  }
  return { organisations: parsed.data.organisations, problems: [] };
}

/** Programme codes the directory names that no template defines: checked once the templates are loaded. */
export function unknownProgrammes(organisations: readonly OrganisationEntry[], programmes: Iterable<string>): string[] {
  const known = new Set(programmes);
  return organisations.flatMap((o) => o.programmes.filter((p) => !known.has(p)).map((p) => `ORGANISATIONS_FILE: ${o.id} works in programme ${p}, which has no template`));
}
