import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Programme } from '../../src/domain/model.js';
import { Template } from '../../src/domain/template.js';

const TEMPLATES_DIR = path.dirname(fileURLToPath(import.meta.url));

/** A template file that is not valid; the message names the file and every field at fault. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

function parseTemplate(file: string, text: string): Template {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TemplateError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = Template.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new TemplateError(lines.join('\n'));
  }
  const expected = path.basename(file, '.json').toUpperCase();
  if (result.data.programme !== expected) {
    throw new TemplateError(`${file}: programme: is ${result.data.programme} but the file name says ${expected}`);
  }
  return result.data;
}

/** Reads and validates every `<programme>.json` in the folder; a new programme is a new file. */
export async function loadTemplates(dir = TEMPLATES_DIR): Promise<ReadonlyMap<Programme, Template>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const templates = new Map<Programme, Template>();
  for (const file of files) {
    const template = parseTemplate(path.join(dir, file), await readFile(path.join(dir, file), 'utf8'));
    templates.set(template.programme, template);
  }
  return templates;
}
