import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@formatjs/icu-messageformat-parser';
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

/** The console's sources: `web/` at the top of the repository. */
export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export interface ConsoleBundle {
  /** By URL path: the page, its scripts and style (named by their hash), and one file per language. */
  assets: Map<string, Asset>;
  /** Languages offered, in the order of their codes: each is one file in web/locales. */
  languages: { code: string; name: string }[];
  /**
   * Bytes as sent compressed: the scripts and style every page load needs (what a slow connection
   * pays once), and the scripts of pages loaded when opened.
   */
  gzipBytes: { script: number; style: number; lazy: number };
}

const hashOf = (body: Buffer | string) => createHash('sha256').update(body).digest('base64url').slice(0, 12);
export const asset = (body: Buffer | string, type: string): Asset => {
  const buffer = Buffer.from(body);
  return { body: buffer, type, etag: `"${hashOf(buffer)}"` };
};

async function languageFiles(): Promise<{ code: string; name: string; body: string }[]> {
  const dir = path.join(WEB_DIR, 'locales');
  const files = (await readdir(dir)).filter((file) => /^[a-z]{2,3}\.json$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const messages = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Record<string, string>;
      // Parsed here, once: the console formats them without shipping the ICU parser to every phone.
      const parsed = Object.fromEntries(Object.entries(messages).map(([key, text]) => [key, parse(text, { ignoreTag: true })]));
      const body = JSON.stringify({ messages: parsed, sentences: Object.fromEntries(Object.entries(messages).filter(([key]) => key.startsWith('says.'))) });
      return { code: file.slice(0, -'.json'.length), name: messages['language.name'] ?? file, body };
    }),
  );
}

function page(script: string, style: string, icon: string): string {
  // No inline script or style: the page's policy allows files of this origin only.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Pathways</title>
<link rel="icon" type="image/svg+xml" href="${icon}">
<link rel="stylesheet" href="${style}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="app"><p>Pathways</p></div>
</body>
</html>
`;
}

/** A script's path under /assets/: what esbuild named it, by its content's hash. */
const assetPath = (file: string) => `/assets/${path.basename(file)}`;

/**
 * Builds the console in memory (esbuild, about a second): what `npm start` serves, with no build
 * step of its own. Pages few people open (webhooks) are imported when opened: their code is a
 * script of its own, outside what every page load pays.
 */
async function buildConsole(): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: [path.join(WEB_DIR, 'src/main.tsx')],
    bundle: true,
    write: false,
    format: 'esm',
    splitting: true,
    metafile: true,
    entryNames: 'console-[hash]',
    chunkNames: 'chunk-[hash]',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: '/console',
    legalComments: 'none',
    // Texts arrive parsed (languageFiles): the formatter's runtime without its parser.
    alias: { '@formatjs/icu-messageformat-parser': '@formatjs/icu-messageformat-parser/no-parser.js' },
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint && file.endsWith('.js'))!;
  // What the page loads before it shows anything: the entry script and the chunks it imports statically.
  const initial = new Set<string>();
  const visit = (file: string) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  const scripts = result.outputFiles.filter((file) => file.path.endsWith('.js'));
  const isInitial = (file: { path: string }) => [...initial].some((out) => file.path.endsWith(`/${path.basename(out)}`));
  const style = result.outputFiles.find((file) => file.path.endsWith('.css'))?.contents ?? new Uint8Array();
  const scriptPath = assetPath(entry);
  const stylePath = `/assets/console-${hashOf(Buffer.from(style))}.css`;
  const icon = await readFile(path.join(WEB_DIR, 'favicon.svg'));
  const iconPath = `/assets/favicon-${hashOf(icon)}.svg`;
  const assets = new Map<string, Asset>([
    ['/', asset(page(scriptPath, stylePath, iconPath), 'text/html; charset=utf-8')],
    [iconPath, asset(icon, 'image/svg+xml')],
    [stylePath, asset(Buffer.from(style), 'text/css; charset=utf-8')],
  ]);
  for (const file of scripts) assets.set(assetPath(file.path), asset(Buffer.from(file.contents), 'text/javascript; charset=utf-8'));
  const languages = await languageFiles();
  for (const language of languages) assets.set(`/locales/${language.code}.json`, asset(language.body, 'application/json; charset=utf-8'));
  const gzipped = (files: typeof scripts) => files.reduce((sum, file) => sum + gzipSync(file.contents).length, 0);
  return {
    assets,
    languages: languages.map(({ code, name }) => ({ code, name })),
    gzipBytes: { script: gzipped(scripts.filter(isInitial)), style: gzipSync(style).length, lazy: gzipped(scripts.filter((file) => !isInitial(file))) },
  };
}

let built: Promise<ConsoleBundle> | undefined;

/** The console, built once per process. */
export function consoleBundle(): Promise<ConsoleBundle> {
  built ??= buildConsole().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
