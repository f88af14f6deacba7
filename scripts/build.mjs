/**
 * npm run build [-- --out-dir DIR]: the compiled JavaScript production runs (`npm run
 * start:prod`, `start:prod:api`, `start:prod:worker`) and the benchmark measures, in dist/
 * (or DIR, inside the project so that node_modules and package.json's "type" apply).
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, without tsx. Builds from
 * scratch (a deleted source leaves no stale file behind) and copies data/, which the code
 * reads relative to itself.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = path.resolve(root, values['out-dir']);
if (!outDir.startsWith(root + path.sep)) {
  console.error(`build: --out-dir must be inside the project (${root}), so that its node_modules apply`);
  process.exit(2);
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(outDir, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('build: tsc failed');
  process.exit(result.status ?? 1);
}
cpSync(path.join(root, 'data'), path.join(outDir, 'data'), { recursive: true });
// The dashboard's page, script and style are served as they are (src/dashboard/serve.ts reads them beside itself).
for (const file of ['index.html', 'dashboard.js', 'dashboard.css']) {
  cpSync(path.join(root, 'src/dashboard', file), path.join(outDir, 'src/dashboard', file));
}
