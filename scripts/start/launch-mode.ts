/**
 * How `npm start` decides between the desktop app and browser mode. Electron is used only when
 * nothing speaks against it: not forced off (`--browser`), not CI, a display to show a window on,
 * its binary present (fetched once on a desktop, see fetch-electron.ts; never on a headless
 * machine, where it would be no use), and the binary actually runs (missing system libraries make
 * it exit at once).
 */
export interface LaunchFacts {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  /** Path of Electron's executable, or null when node_modules/electron has no dist. */
  readonly electronBinary: string | null;
  /** Downloads the binary when it is missing; returns its path, or null (no network, failed). */
  readonly fetchBinary: () => Promise<string | null>;
  /** Runs the binary briefly; asked last, only when everything else allows Electron. */
  readonly binaryRuns: (binary: string) => Promise<boolean>;
}

export type LaunchDecision = { readonly mode: 'electron'; readonly binary: string } | { readonly mode: 'browser'; readonly reason: string };

export async function decideLaunch(f: LaunchFacts): Promise<LaunchDecision> {
  if (f.argv.includes('--browser')) return { mode: 'browser', reason: 'browser mode was asked for (--browser)' };
  if (isCi(f.env)) return { mode: 'browser', reason: 'running under CI' };
  if (!hasDisplay(f.platform, f.env)) return { mode: 'browser', reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  const binary = f.electronBinary ?? (await f.fetchBinary());
  if (!binary) return { mode: 'browser', reason: "Electron's binary is not installed and could not be downloaded (run `node node_modules/electron/install.js` with network access to get the desktop app)" };
  if (!(await f.binaryRuns(binary))) return { mode: 'browser', reason: "Electron's binary does not run on this system" };
  return { mode: 'electron', binary };
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** macOS and Windows always have one; elsewhere a window needs X11 or Wayland. */
export function hasDisplay(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
