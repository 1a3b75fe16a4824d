// Each layer type-checks in the environment it runs in (DESIGN.md, layers), with a tsconfig.json of
// its own, as VS Code does: engine/core runs in the renderer and in Node alike, so it gets the ES
// library only; the renderer is a browser page (DOM, no Node types); engine/runtime, engine/host
// and electron/ are Node (Node's types, no DOM). A file that reaches for a global its layer does not
// have is a type error here, and so fails `npm test`. The root tsconfig.json, which `npm test`'s
// type step checks, still covers every file with DOM and Node together (tests, bench, scripts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

interface Layer {
  readonly folder: string;
  readonly environment: string;
  /** Globals of the other environments, each a type error in this layer. */
  readonly forbidden: readonly string[];
}

const NODE_GLOBALS = ['process', '__dirname', 'Buffer', 'require'];
const DOM_GLOBALS = ['window', 'document', 'requestAnimationFrame'];

const LAYERS: readonly Layer[] = [
  { folder: 'engine/core', environment: 'without DOM or Node globals', forbidden: ['fetch', 'localStorage', ...NODE_GLOBALS, ...DOM_GLOBALS] },
  { folder: 'renderer', environment: 'with DOM and without Node globals', forbidden: NODE_GLOBALS },
  { folder: 'engine/runtime', environment: 'with Node and without DOM globals', forbidden: DOM_GLOBALS },
  { folder: 'engine/host', environment: 'with Node and without DOM globals', forbidden: DOM_GLOBALS },
  { folder: 'electron', environment: 'with Node and without DOM globals', forbidden: DOM_GLOBALS },
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

describe.each(LAYERS)('$folder type-checks $environment', ({ folder, forbidden }) => {
  const config = resolve(folder, 'tsconfig.json');

  it(`${folder} passes in its own environment`, () => {
    const r = typecheck(config);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  }, 300_000);

  it(`a ${folder} file using ${forbidden.join(', ')} fails there`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'layer-globals-'));
    try {
      writeFileSync(join(dir, 'probe.ts'), forbidden.map((name, i) => `export const g${i} = ${name};\n`).join(''));
      // type libraries are looked up from the config's folder: point this one at the project's
      const compilerOptions = { typeRoots: [resolve('node_modules/@types')] };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: config, compilerOptions, include: [], files: [join(dir, 'probe.ts')] }));
      const r = typecheck(join(dir, 'tsconfig.json'));
      expect(r.status).not.toBe(0);
      for (const name of forbidden) expect(r.out).toMatch(new RegExp(`Cannot find name '${name}'`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
