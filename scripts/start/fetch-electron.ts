/**
 * Getting Electron's binary on first launch. The install skips package scripts (.npmrc), so
 * Electron's own download never ran; on a desktop `npm start` runs it once. A machine without
 * network must not hang here: the download host is probed first with a short timeout, and browser
 * mode takes over at once if it does not answer.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where @electron/get downloads from, unless ELECTRON_MIRROR says otherwise. */
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';

export interface FetchOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly probeTimeoutMs?: number;
  readonly installTimeoutMs?: number;
}

/** true when node_modules/electron/install.js ran and finished; the caller then looks for the binary again. */
export async function fetchElectronBinary(root: string, o: FetchOptions = {}): Promise<boolean> {
  const env = o.env ?? process.env;
  const install = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(install)) return false;
  if (!(await reachable(env.ELECTRON_MIRROR ?? DEFAULT_MIRROR, o.probeTimeoutMs ?? 3000))) return false;
  console.error("snn-studio: downloading Electron's binary (once; `npm start -- --browser` skips it)…");
  return runToEnd(process.execPath, [install], env, o.installTimeoutMs ?? 10 * 60_000);
}

/** Any HTTP answer at all means the network is there. */
export async function reachable(url: string, timeoutMs: number): Promise<boolean> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: abort.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    // its progress goes to stderr: stdout is where browser mode prints its URL
    const child = spawn(command, args, { env, stdio: ['ignore', 2, 2] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
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
