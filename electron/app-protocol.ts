/**
 * The `app://studio/` scheme: registered as standard and secure before the app is ready (so the
 * page gets a real origin, fetch and the secure-context APIs), then served from the built renderer
 * through the same resolver as the browser-mode server (no traversal, correct MIME types), with
 * the CSP on every response.
 */
import type { Protocol } from 'electron';
import { readStaticFile } from '../engine/host/server/static-files.js';
import { APP_HOST, APP_SCHEME } from './app-origin.js';
import { DESKTOP_CSP } from './security.js';

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

export function serveApp(protocol: Pick<Protocol, 'handle'>, rendererDist: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(request.url, rendererDist));
}

export async function appResponse(url: string, rendererDist: string): Promise<Response> {
  const u = new URL(url);
  if (u.host !== APP_HOST) return new Response('not found', { status: 404 });
  const file = await readStaticFile(rendererDist, u.pathname);
  if (file.status !== 200) return new Response(file.reason, { status: file.status });
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: { 'Content-Type': file.contentType, 'Content-Security-Policy': DESKTOP_CSP, 'X-Content-Type-Options': 'nosniff' },
  });
}
