// `npm run build [-- --out-dir <dir>]`: type-checks and compiles the service to JavaScript, copies
// the files it reads at run time, and bundles the workflows once, as Temporal recommends for
// production. The compiled worker loads that bundle instead of running webpack at start-up.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../config/index.js';
import { createLogger } from '../src/logger.js';
import { bundleWorkflows, PREBUILT_BUNDLE_NAME } from '../src/temporal/worker.js';

/** Files the compiled code reads beside itself: the organisation directory, templates, migrations, and the console's sources and icon (bundled in memory at start). */
const ASSETS = [
  { from: 'config', ext: '.json' },
  { from: 'config/pathways', ext: '.json' },
  { from: 'src/db/migrations', ext: '.sql' },
  { from: 'web', ext: '.svg' },
];

async function copyAssets(outDir: string) {
  for (const folder of ['web/src', 'web/locales']) await cp(path.join(PROJECT_ROOT, folder), path.join(outDir, folder), { recursive: true });
  for (const { from, ext } of ASSETS) {
    const target = path.join(outDir, from);
    await mkdir(target, { recursive: true });
    for (const file of (await readdir(path.join(PROJECT_ROOT, from))).filter((f) => f.endsWith(ext))) {
      await cp(path.join(PROJECT_ROOT, from, file), path.join(target, file));
    }
  }
}

const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = path.resolve(PROJECT_ROOT, values['out-dir']!);
const started = Date.now();
await rm(outDir, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], {
  cwd: PROJECT_ROOT,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
await copyAssets(outDir);
const logger = createLogger({ level: 'warn', format: 'json' }, 2);
const bundle = await bundleWorkflows(logger);
await writeFile(path.join(outDir, PREBUILT_BUNDLE_NAME), bundle.code);
process.stderr.write(`built ${path.relative(PROJECT_ROOT, outDir) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
