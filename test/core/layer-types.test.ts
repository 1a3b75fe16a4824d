// engine/core runs in the renderer and in Node alike (DESIGN.md, layers), so it type-checks in its
// own environment, engine/core/tsconfig.json: the ES library only, no DOM and no Node globals. A
// file there that reaches for `fetch`, `process`, `window` or `__dirname` is a type error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE_CONFIG = resolve('engine/core/tsconfig.json');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** tsc's exit status and diagnostics for a config. */
function typecheck(config: string): { status: number; out: string } {
  try {
    return { status: 0, out: execFileSync(process.execPath, [tsc, '--noEmit', '-p', config], { encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { status: e.status, out: e.stdout };
  }
}

describe('engine/core type-checks without DOM or Node globals', () => {
  it('engine/core passes in its own environment', () => {
    const r = typecheck(CORE_CONFIG);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);

  it('a core file using fetch, process, window or __dirname fails there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-globals-'));
    try {
      writeFileSync(
        join(dir, 'probe.ts'),
        ['export const a = fetch;', 'export const b = process.env;', 'export const c = window;', 'export const d = __dirname;', ''].join('\n'),
      );
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: CORE_CONFIG, include: [], files: [join(dir, 'probe.ts')] }));
      const r = typecheck(join(dir, 'tsconfig.json'));
      expect(r.status).not.toBe(0);
      for (const name of ['fetch', 'process', 'window', '__dirname']) expect(r.out).toMatch(new RegExp(`Cannot find name '${name}'`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
