/**
 * The desktop app's security settings, in one place: the renderer is a sandboxed web page with no
 * Node.js, isolated from the preload, that loads nothing but the app's own files, cannot navigate
 * or open windows, and gets no permission (camera, notifications, ...) it asks for. What it may do
 * is the StudioApi, through the preload's bridge.
 */
import type { HandlerDetails, Session, WebContents, WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../engine/host/server/csp.js';
import { APP_SCHEME, isAppUrl } from './app-origin.js';

/** The page's policy: the app origin only (the desktop page talks to the host over IPC, not sockets). */
export const DESKTOP_CSP = contentSecurityPolicy();

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/**
 * Every web contents (windows, and any the page might try to create): no navigation away from the
 * app, no new windows (https links go to the system browser instead), no <webview>.
 */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (isExternalLink(details.url)) openExternal(details.url);
    return { action: 'deny' };
  });
}

/** Links a user may follow out of the app (a paper's page), shown in the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What the page may load: the app's own files, devtools, and inline data. Nothing remote. */
export function isAllowedRequest(url: string): boolean {
  const scheme = url.slice(0, url.indexOf(':') + 1);
  return scheme === `${APP_SCHEME}:` || scheme === 'devtools:' || scheme === 'data:' || scheme === 'blob:';
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CSP] } });
  });
  session.on('will-download', (event) => event.preventDefault());
}
