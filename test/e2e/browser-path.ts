/**
 * Where the end-to-end tests find a browser to drive: CHROMIUM_PATH if set, else a system
 * Chromium, Chrome or Edge in the usual places of Linux, macOS and Windows. Without one the tests
 * are skipped with the reason printed (and listed in `npm test`'s summary), never failed.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The browser's executable, or undefined when none is installed where browsers usually are. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = existsSync): string | undefined {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) return exists(explicit) ? explicit : undefined;
  return browserCandidates(env, platform).find(exists);
}

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = existsSync): string | undefined {
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? undefined : `CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which does not exist`;
  if (findBrowser(env, platform, exists)) return undefined;
  return `no Chromium, Chrome or Edge found (looked in ${browserCandidates(env, platform).length} usual places for ${platform}); set CHROMIUM_PATH to a Chromium-based browser`;
}

/** The usual install places, most likely first. */
export function browserCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') {
    const apps = ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
    const home = env.HOME ? [join(env.HOME, 'Applications')] : [];
    return ['/Applications', ...home].flatMap((dir) => apps.map((a) => `${dir}/${a}`));
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => typeof r === 'string' && r !== '');
    const apps = ['Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe', 'Chromium\\Application\\chrome.exe'];
    return roots.flatMap((root) => apps.map((a) => `${root}\\${a}`));
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
  const dirs = [...new Set([...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''), '/usr/bin', '/usr/local/bin', '/snap/bin'])];
  return [...dirs.flatMap((d) => names.map((n) => `${d}/${n}`)), '/opt/google/chrome/chrome', '/opt/microsoft/msedge/msedge'];
}
