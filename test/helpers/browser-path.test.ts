/** Browser discovery for the end-to-end tests, on each platform's usual install places. */
import { describe, expect, it } from 'vitest';
import { browserSkipReason, findBrowser } from '../e2e/browser-path.js';

const only = (...paths: string[]) => (p: string) => paths.includes(p);

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first, and says so when it points nowhere', () => {
    expect(findBrowser({ CHROMIUM_PATH: '/opt/c/chrome' }, 'linux', only('/opt/c/chrome', '/usr/bin/chromium'))).toBe('/opt/c/chrome');
    expect(findBrowser({ CHROMIUM_PATH: '/nowhere' }, 'linux', only('/usr/bin/chromium'))).toBeUndefined();
    expect(browserSkipReason({ CHROMIUM_PATH: '/nowhere' }, 'linux', only())).toBe('CHROMIUM_PATH is /nowhere, which does not exist');
  });

  it('finds Chromium, Chrome or Edge on Linux, on PATH or in /opt', () => {
    expect(findBrowser({ PATH: '/home/u/bin:/usr/bin' }, 'linux', only('/usr/bin/google-chrome-stable'))).toBe('/usr/bin/google-chrome-stable');
    expect(findBrowser({}, 'linux', only('/snap/bin/chromium'))).toBe('/snap/bin/chromium');
    expect(findBrowser({}, 'linux', only('/opt/microsoft/msedge/msedge'))).toBe('/opt/microsoft/msedge/msedge');
  });

  it('finds an app bundle on macOS, in /Applications or ~/Applications', () => {
    expect(findBrowser({}, 'darwin', only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'))).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(findBrowser({ HOME: '/Users/u' }, 'darwin', only('/Users/u/Applications/Chromium.app/Contents/MacOS/Chromium'))).toBe('/Users/u/Applications/Chromium.app/Contents/MacOS/Chromium');
  });

  it('finds Chrome or Edge under Program Files on Windows', () => {
    const env = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)' };
    expect(findBrowser(env, 'win32', only('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'))).toBe('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
  });

  it('gives the reason to skip when there is none', () => {
    expect(browserSkipReason({}, 'darwin', only())).toMatch(/^no Chromium, Chrome or Edge found \(looked in \d+ usual places for darwin\); set CHROMIUM_PATH/);
    expect(browserSkipReason({}, 'linux', only('/usr/bin/chromium'))).toBeUndefined();
  });
});
