// Each layer type-checks in the environment it runs in (DESIGN.md, layers), with a tsconfig.json of
// its own, as VS Code does: engine/core runs in the renderer and in Node alike, so it gets the ES
// library only; the renderer is a browser page (DOM, no Node types); engine/runtime, engine/host
// and electron/ are Node (Node's types, no DOM; the three in one run). A file that reaches for a
// global its layer does not have is a type error here, and so fails `npm test`. The root
// tsconfig.json, which `npm test`'s type step checks, still covers every file with DOM and Node
// together (tests, bench, scripts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

interface Layer {
  readonly folders: readonly string[];
  readonly environment: string;
  /** Globals of the other environments, each a type error in this layer. */
  readonly forbidden: readonly string[];
}

const NODE_GLOBALS = ['process', '__dirname', 'Buffer', 'require'];
const DOM_GLOBALS = ['window', 'document', 'requestAnimationFrame'];

/**
 * The Node layers share one environment (their configs' compiler options are equal, checked
 * below), so one tsc run checks the three folders together: three runs would check the engine
 * they share three times.
 */
const LAYERS: readonly Layer[] = [
  { folders: ['engine/core'], environment: 'without DOM or Node globals', forbidden: ['fetch', 'localStorage', ...NODE_GLOBALS, ...DOM_GLOBALS] },
  { folders: ['renderer'], environment: 'with DOM and without Node globals', forbidden: NODE_GLOBALS },
  { folders: ['engine/runtime', 'engine/host', 'electron'], environment: 'with Node and without DOM globals', forbidden: DOM_GLOBALS },
];

/** tsc's exit status and diagnostics for a config. */
function typecheck(config: string): { status: number; out: string } {
  try {
    return { status: 0, out: execFileSync(process.execPath, [tsc, '--noEmit', '-p', config], { encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { status: e.status, out: e.stdout };
  }
}

describe.each(LAYERS.map((l) => ({ ...l, names: l.folders.join(', ') })))('$names type-check $environment', ({ folders, forbidden, names }) => {
  const configs = folders.map((f) => resolve(f, 'tsconfig.json'));
  const config = configs[0]!;

  it(`${names} pass in their own environment`, () => {
    const read = configs.map((c) => JSON.parse(readFileSync(c, 'utf8')) as { compilerOptions?: unknown; include?: string[] });
    expect(new Set(read.map((c) => JSON.stringify(c.compilerOptions))).size).toBe(1);
    const include = read.flatMap((c, k) => (c.include ?? []).map((i) => resolve(dirname(configs[k]!), i)));
    const r = folders.length === 1 ? typecheck(config) : withConfig({ include }, typecheck);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  }, 300_000);

  it(`a file in ${names} using ${forbidden.join(', ')} fails there`, () => {
    const r = withConfig({}, (probeConfig, dir) => {
      writeFileSync(join(dir, 'probe.ts'), forbidden.map((name, i) => `export const g${i} = ${name};\n`).join(''));
      return typecheck(probeConfig);
    }, ['probe.ts']);
    expect(r.status).not.toBe(0);
    for (const name of forbidden) expect(r.out).toMatch(new RegExp(`Cannot find name '${name}'`));
  }, 120_000);

  /** Runs `check` on a temporary config that extends the layer's, with `extra` and the given files of its folder. */
  function withConfig<T>(extra: { include?: string[] }, check: (config: string, dir: string) => T, files: readonly string[] = []): T {
    const dir = mkdtempSync(join(tmpdir(), 'layer-types-'));
    try {
      // type libraries are looked up from the config's folder: point this one at the project's
      const compilerOptions = { typeRoots: [resolve('node_modules/@types')] };
      const own = files.length > 0 ? { include: [], files: files.map((f) => join(dir, f)) } : {};
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: config, compilerOptions, ...own, ...extra }));
      return check(join(dir, 'tsconfig.json'), dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
