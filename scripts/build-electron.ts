/**
 * Builds the desktop app's main-process pieces into electron/dist:
 *   main.cjs     the main process (bundled; `electron` and Node built-ins stay external)
 *   preload.cjs  the preload, one self-contained file (a sandboxed preload may require only `electron`)
 * With `--package`, also compiles the engine (engine/, templates/, the utility process entry) to
 * JavaScript under electron/dist/app, so that a packaged app runs without tsx.
 *
 *   npx tsx scripts/build-electron.ts [--package]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'electron', 'dist');

export async function buildElectron(options: { package?: boolean } = {}): Promise<void> {
  await bundle('electron/main.ts', 'main.cjs');
  await bundle('electron/preload.ts', 'preload.cjs');
  if (options.package) compileEngine();
}

/** One entry, one CommonJS file: an SSR build bundles our modules and leaves `electron` and node:* to require(). */
async function bundle(entry: string, fileName: string): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: fileName, codeSplitting: false } },
    },
  });
}

/** tsc keeps the folder layout and the `./x.js` specifiers, so the output runs as Node ESM as it is. */
function compileEngine(): void {
  const app = join(outDir, 'app');
  rmSync(app, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--project', join(root, 'electron', 'tsconfig.app.json')], {
    stdio: 'inherit',
    cwd: root,
  });
  if (tsc.status !== 0) throw new Error('compiling the engine failed (see the errors above)');
  copyModuleScripts(join(root, 'engine'), join(app, 'engine'));
}

/** Worker boot files are plain .mjs, which tsc does not emit: copy them beside the compiled modules. */
function copyModuleScripts(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) copyModuleScripts(src, join(to, name));
    else if (name.endsWith('.mjs')) cpSync(src, join(to, name));
  }
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  await buildElectron({ package: process.argv.includes('--package') });
}
