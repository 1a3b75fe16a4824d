/**
 * Where the studio keeps its own files (recent files, the autosave recovery file) when no Electron
 * `userData` folder is given: the platform's usual per-user configuration folder.
 * `SNN_STUDIO_CONFIG_DIR` overrides it (tests, portable installs).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.SNN_STUDIO_CONFIG_DIR) return env.SNN_STUDIO_CONFIG_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'SNN Studio');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'SNN Studio');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'snn-studio');
}
