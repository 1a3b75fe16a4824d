/**
 * The built renderer that both modes serve. `vite build` runs first when renderer/dist has no
 * index.html; SNN_STUDIO_RENDERER_DIST points at another build (tests, a prebuilt copy) and is
 * never built over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function ensureRendererBuilt(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SNN_STUDIO_RENDERER_DIST;
  const dist = override ?? join(root, 'renderer', 'dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  if (override) throw new Error(`SNN_STUDIO_RENDERER_DIST=${override} has no index.html`);
  console.error('snn-studio: the renderer is not built yet; running `vite build` (once)…');
  // vite's exports map hides bin/: find the package, then its CLI
  const vite = join(dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  // vite's output goes to stderr: stdout is where the app's URL is printed
  const r = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0 || !existsSync(join(dist, 'index.html'))) throw new Error('`vite build` failed; see its output above');
  return dist;
}
