/**
 * The built renderer that both modes serve. `vite build` runs first when renderer/dist has no
 * index.html, or when a source it is built from is newer than that build (after a `git pull`, the
 * app must not open yesterday's UI); SNN_STUDIO_RENDERER_DIST points at another build (tests, a
 * prebuilt copy) and is never built over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** What the renderer bundle is built from: its own sources, the engine code it imports, the build setup. */
const SOURCES = ['renderer', 'engine/core', 'engine/api', 'vite.config.ts', 'package.json', 'package-lock.json'];

/** A source file newer than the build in `dist`, or null when the build is current. */
export function newerSource(root: string, dist: string): string | null {
  const built = statSync(join(dist, 'index.html')).mtimeMs;
  const walk = (path: string): string | null => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return null;
    }
    if (!st.isDirectory()) return st.mtimeMs > built ? path : null;
    for (const name of readdirSync(path)) {
      if (name === 'node_modules' || name.startsWith('.') || join(path, name) === dist) continue;
      const hit = walk(join(path, name));
      if (hit) return hit;
    }
    return null;
  };
  for (const s of SOURCES) {
    const hit = walk(join(root, s));
    if (hit) return hit;
  }
  return null;
}

export function ensureRendererBuilt(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SNN_STUDIO_RENDERER_DIST;
  const dist = override ?? join(root, 'renderer', 'dist');
  if (override) {
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`SNN_STUDIO_RENDERER_DIST=${override} has no index.html`);
    return dist;
  }
  if (existsSync(join(dist, 'index.html'))) {
    const newer = newerSource(root, dist);
    if (!newer) return dist;
    console.error(`snn-studio: ${newer} changed since the renderer was built; running \`vite build\`…`);
  } else {
    console.error('snn-studio: the renderer is not built yet; running `vite build` (once)…');
  }
  // vite's exports map hides bin/: find the package, then its CLI
  const vite = join(dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  // vite's output goes to stderr: stdout is where the app's URL is printed
  const r = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0 || !existsSync(join(dist, 'index.html'))) throw new Error('`vite build` failed; see its output above');
  return dist;
}
