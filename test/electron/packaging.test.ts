/**
 * The packaging config (package.json `build`), checked with electron-builder's own file matcher:
 * for each target, onnxruntime-node's native files are kept for that platform and architecture
 * only and unpacked from the asar; renderer-only packages stay out. And the main-process build:
 * the preload is one file that requires nothing but `electron` (a sandboxed preload can do no more).
 * electron-builder lives in packaging/ (`npm run dist` installs it there, or
 * `npm ci --prefix packaging --ignore-scripts`); where it is not installed the config checks skip,
 * saying so.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../scripts/build-electron.js';
import { skipping } from '../helpers/skip.js';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const build = pkg.build;
const BUILDER = join(ROOT, 'packaging', 'node_modules', 'electron-builder', 'package.json');
const builderMissing = existsSync(BUILDER) ? null : 'electron-builder is not installed in packaging/ (npm ci --prefix packaging --ignore-scripts, or npm run dist, installs it)';

function builderModules() {
  const require = createRequire(BUILDER);
  const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js');
  const { expandMacro } = require('app-builder-lib/out/util/macroExpander.js');
  return { getNodeModuleFileMatcher, expandMacro };
}

type Os = 'linux' | 'mac' | 'win';

/** What electron-builder would copy from node_modules when building `os`/`arch`. */
function nodeModuleFilter(os: Os, arch: string): (path: string) => boolean {
  const { getNodeModuleFileMatcher, expandMacro } = builderModules();
  const macroExpander = (p: string) => expandMacro(p, arch, { productName: build.productName }, { os });
  const matcher = getNodeModuleFileMatcher(ROOT, '/out', macroExpander, build[os], { config: build, debugLogger: { isEnabled: false } });
  const filter = matcher.createFilter();
  return (path: string) => {
    const abs = join(ROOT, path);
    return filter(abs, statSync(abs));
  };
}

/** Every file under a folder, kept only if the filter lets each of its parent folders through too. */
function copied(filter: (p: string) => boolean, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(join(ROOT, d))) {
      const p = join(d, name);
      if (!filter(p)) continue;
      if (statSync(join(ROOT, p)).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  if (filter(dir)) walk(dir);
  return out;
}

const ORT_BIN = 'node_modules/onnxruntime-node/bin';

describe.skipIf(skipping('packaging: electron-builder config', builderMissing))('electron-builder config', () => {
  it('builds the usual installers for each platform', () => {
    expect(build.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(build.mac.target).toEqual(expect.arrayContaining(['dmg']));
    expect(build.win.target).toEqual(expect.arrayContaining(['nsis']));
    expect(pkg.main).toBe('electron/dist/main.cjs');
    expect(build.files).toEqual(expect.arrayContaining(['electron/dist/**', 'electron/host-boot.mjs', 'renderer/dist/**']));
  });

  it('unpacks onnxruntime-node’s native binaries from the asar', () => {
    expect(build.asar).toBe(true);
    expect(build.asarUnpack).toContain(`${ORT_BIN}/**`);
  });

  it('turns off the Electron features a packaged app must not offer (fuses)', () => {
    expect(build.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  const platforms: [Os, string, string][] = [
    ['linux', 'x64', 'linux/x64'],
    ['linux', 'arm64', 'linux/arm64'],
    ['mac', 'arm64', 'darwin/arm64'],
    ['win', 'x64', 'win32/x64'],
  ];
  for (const [os, arch, kept] of platforms) {
    it(`keeps only ${kept}'s onnxruntime binaries in a ${os} ${arch} build`, () => {
      const files = copied(nodeModuleFilter(os, arch), ORT_BIN).map((f) => relative(ORT_BIN, f));
      const folders = new Set(files.map((f) => f.split('/').slice(1, 3).join('/')));
      // the platform/arch folders this checkout has (npm installs them all)
      if (readdirSync(join(ROOT, ORT_BIN, 'napi-v6')).includes(kept.split('/')[0]!)) expect([...folders]).toEqual([kept]);
      else expect(folders.size).toBe(0);
    });
  }

  it('leaves out what the renderer bundle already contains, but keeps what the engine needs', () => {
    const filter = nodeModuleFilter('linux', 'x64');
    for (const gone of ['node_modules/react/package.json', 'node_modules/@tabler', 'node_modules/@xyflow/react/package.json']) expect(filter(gone), gone).toBe(false);
    for (const kept of ['node_modules/zod/package.json', 'node_modules/onnxruntime-node/package.json', 'node_modules/onnx-proto/package.json', 'node_modules/pngjs/package.json']) {
      expect(filter(kept), kept).toBe(true);
    }
  });
});

describe('main-process build', () => {
  beforeAll(async () => {
    await buildElectron();
  }, 60_000);

  const requires = (file: string) => [...readFileSync(join(ROOT, 'electron', 'dist', file), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);

  it('makes a preload that requires only electron', () => {
    expect(new Set(requires('preload.cjs'))).toEqual(new Set(['electron']));
  });

  it('makes a main process that requires only electron and Node built-ins', () => {
    for (const r of requires('main.cjs')) expect(r === 'electron' || r.startsWith('node:'), r).toBe(true);
  });
});
