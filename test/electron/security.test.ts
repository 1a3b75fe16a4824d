/**
 * The desktop app's security settings, checked on fakes of Electron's objects: the window's web
 * preferences, navigation and window.open blocked, no remote requests, no permissions, the CSP on
 * every response, and the app:// scheme serving only the built renderer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, Session, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_URL, isAppUrl } from '../../electron/app-origin.js';
import { APP_SCHEME_PRIVILEGES, appResponse, registerAppScheme, serveApp } from '../../electron/app-protocol.js';
import { DESKTOP_CSP, hardenSession, hardenWebContents, isAllowedRequest, secureWebPreferences } from '../../electron/security.js';
import { createMainWindow, mainWindowOptions } from '../../electron/window.js';
import { FakeEmitter } from './fake-electron.js';

const prevented = () => {
  const e = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) };
  return e;
};

describe('the window', () => {
  it('runs the page sandboxed, isolated, without Node, with the preload', () => {
    expect(secureWebPreferences('/app/electron/dist/preload.cjs')).toMatchObject({
      preload: '/app/electron/dist/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('is created with those preferences, loads the app page, and shows when ready', () => {
    const { win } = fakeWindow(0);
    expect(win.options).toEqual(mainWindowOptions('/p.cjs'));
    expect(win.options).toMatchObject({ show: false });
    expect(win.loaded).toEqual([APP_URL]);
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('asks before closing over unsaved work, and closes only if the user says so', () => {
    for (const [answer, closes] of [
      [0, true],
      [1, false],
    ] as const) {
      const { win, asked } = fakeWindow(answer);
      const e = prevented();
      win.webContents.emit('will-prevent-unload', e);
      expect(asked).toHaveLength(1);
      expect(e.defaultPrevented).toBe(closes);
    }
  });
});

/** A window made by createMainWindow from a fake BrowserWindow, with a dialog that answers `answer`. */
function fakeWindow(answer: number) {
  const windows: FakeWindow[] = [];
  class FakeWindow extends FakeEmitter {
    readonly loaded: string[] = [];
    readonly webContents = new FakeEmitter();
    shown = false;
    constructor(readonly options: unknown) {
      super();
      windows.push(this);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    show() {
      this.shown = true;
    }
  }
  const asked: unknown[] = [];
  createMainWindow(FakeWindow as unknown as typeof BrowserWindow, '/p.cjs', { showMessageBoxSync: (...args: unknown[]) => (asked.push(args), answer) } as never);
  return { win: windows[0]!, asked };
}

describe('web contents', () => {
  function harden() {
    const contents = Object.assign(new FakeEmitter(), {
      openHandler: null as null | ((d: { url: string }) => { action: string }),
      setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
        this.openHandler = h;
      },
    });
    const external: string[] = [];
    hardenWebContents(contents as unknown as WebContents, (url) => external.push(url));
    return { contents, external };
  }

  it('blocks navigation and redirects away from the app', () => {
    const { contents } = harden();
    for (const event of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://127.0.0.1:8080/', 'app://other/index.html', 'javascript:alert(1)']) {
        const e = prevented();
        contents.emit(event, e, url);
        expect(e.defaultPrevented, `${event} ${url}`).toBe(true);
      }
      const own = prevented();
      contents.emit(event, own, APP_URL);
      expect(own.defaultPrevented).toBe(false);
    }
  });

  it('denies every new window; https links go to the system browser, nothing else does', () => {
    const { contents, external } = harden();
    for (const url of ['https://arxiv.org/abs/2209.15425', 'http://example.com', 'file:///etc/passwd', APP_URL, 'javascript:alert(1)']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(external).toEqual(['https://arxiv.org/abs/2209.15425']);
  });

  it('refuses <webview>', () => {
    const { contents } = harden();
    const e = prevented();
    contents.emit('will-attach-webview', e, {}, {});
    expect(e.defaultPrevented).toBe(true);
  });
});

describe('the session', () => {
  function hardened() {
    const s = Object.assign(new FakeEmitter(), {
      permission: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
      check: null as null | (() => boolean),
      before: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
      headers: null as null | ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void),
      setPermissionRequestHandler(h: never) {
        this.permission = h;
      },
      setPermissionCheckHandler(h: never) {
        this.check = h;
      },
      webRequest: {
        onBeforeRequest: (h: never) => void (s.before = h),
        onHeadersReceived: (h: never) => void (s.headers = h),
      },
    });
    hardenSession(s as unknown as Session);
    return s;
  }

  it('grants no permission', () => {
    const s = hardened();
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      s.permission!({}, p, (ok) => (granted = ok));
      expect(granted, p).toBe(false);
    }
    expect(s.check!()).toBe(false);
  });

  it('loads nothing remote', () => {
    const s = hardened();
    const cancelled = (url: string) => {
      let r: { cancel: boolean } | undefined;
      s.before!({ url }, (x) => (r = x));
      return r!.cancel;
    };
    for (const url of ['https://cdn.example/x.js', 'http://127.0.0.1:1/', 'ws://127.0.0.1:1/', 'file:///etc/passwd', 'ftp://x']) expect(cancelled(url), url).toBe(true);
    for (const url of [APP_URL, 'app://studio/assets/x.js', 'data:image/png;base64,AA', 'devtools://devtools/x']) expect(cancelled(url), url).toBe(false);
    expect(isAllowedRequest('blob:app://studio/1234')).toBe(true);
  });

  it('adds the CSP to every response and refuses downloads', () => {
    const s = hardened();
    let headers: unknown;
    s.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r));
    expect(headers).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [DESKTOP_CSP] } });
    const e = prevented();
    s.emit('will-download', e);
    expect(e.defaultPrevented).toBe(true);
  });

  it('has a strict CSP: scripts from the app only, no eval, no inline script, nothing remote', () => {
    const directives = Object.fromEntries(DESKTOP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(DESKTOP_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('the app:// scheme', () => {
  let dist: string;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'snn-app-scheme-'));
    mkdirSync(join(dist, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dist, 'renderer', 'index.html'), '<!doctype html>');
    writeFileSync(join(dist, 'renderer', 'assets', 'index.js'), 'export {}');
    writeFileSync(join(dist, 'secret.txt'), 'secret');
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  const root = () => join(dist, 'renderer');

  it('is registered as a standard, secure scheme before the app is ready', () => {
    let registered: unknown;
    registerAppScheme({ registerSchemesAsPrivileged: (s) => void (registered = s) });
    expect(registered).toEqual([APP_SCHEME_PRIVILEGES]);
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
  });

  it('serves the built renderer with MIME types and the CSP', async () => {
    let handler: ((r: { url: string }) => Promise<Response>) | undefined;
    serveApp({ handle: (scheme: string, h: never) => void (scheme === 'app' && (handler = h)) } as never, root());
    const index = await handler!({ url: APP_URL });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect((await appResponse('app://studio/assets/index.js', root())).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('serves nothing outside the build, and nothing for other hosts', async () => {
    for (const url of ['app://studio/../secret.txt', 'app://studio/%2e%2e/secret.txt', 'app://studio/assets/..%2f..%2fsecret.txt', 'app://studio/x%5c..%5c..%5csecret.txt', 'app://other/index.html', 'app://studio/missing.js']) {
      const r = await appResponse(url, root());
      expect([400, 404], url).toContain(r.status);
      expect(await r.text(), url).not.toBe('secret');
    }
  });

  it('recognises its own origin only', () => {
    expect(isAppUrl(APP_URL)).toBe(true);
    expect(isAppUrl('app://studio.evil/index.html')).toBe(false);
    expect(isAppUrl('https://studio/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
