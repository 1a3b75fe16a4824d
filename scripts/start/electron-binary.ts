/**
 * Finding Electron's executable without `require('electron')` (which throws when the binary was
 * never downloaded), and checking that it runs: as Node (ELECTRON_RUN_AS_NODE), so no display is
 * needed, with a short timeout so that a binary that hangs cannot stall `npm start`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Mirrors node_modules/electron/index.js: dist/<path.txt>, or ELECTRON_OVERRIDE_DIST_PATH. */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable ?? 'electron')
    : executable
      ? join(pkg, 'dist', executable)
      : null;
  return binary !== null && existsSync(binary) ? binary : null;
}

export function electronRuns(binary: string, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(binary, ['--version'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'ignore' });
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(false);
    }, timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}
