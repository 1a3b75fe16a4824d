#!/usr/bin/env node
// `npm run dist`: installers (AppImage/deb, dmg, nsis) with electron-builder. The packaging tools
// live in packaging/ with their own lock file, installed on the first run, because their native
// rebuild (@electron/rebuild 4, node-abi 4) requires Node 22.12+ while the app, its tests and its
// `npm install` need only Node 20.19+; kept out of the app's dependencies, they cost a Node 20
// install no warning. Arguments after `--` go to electron-builder (`npm run dist -- --linux deb`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, 'packaging');
const builderPkg = join(tools, 'node_modules', 'electron-builder', 'package.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`npm run dist needs Node 22.12 or newer (electron-builder's native rebuild requires it); this is Node ${process.versions.node}. The app itself runs on Node 20.19+.`);
  process.exit(1);
}

const wanted = JSON.parse(readFileSync(join(tools, 'package.json'), 'utf8')).devDependencies['electron-builder'];
const installed = existsSync(builderPkg) ? JSON.parse(readFileSync(builderPkg, 'utf8')).version : null;
if (installed !== wanted) run(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], tools);
run(npm, ['run', 'build'], root);
run(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'build-electron.ts'), '--package'], root);
run(process.execPath, [join(tools, 'node_modules', 'electron-builder', 'cli.js'), '--projectDir', root, ...process.argv.slice(2)], root);

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' && cmd === npm });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
