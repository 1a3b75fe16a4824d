/**
 * Serving the built renderer (renderer/dist) to the browser-mode server and to the desktop app's
 * `app://` protocol: one resolver, so both refuse the same things. A URL path maps to a file only
 * if, decoded and with every symlink resolved, it stays inside the root: `..` segments, encoded
 * `%2e%2e`, backslashes and NUL bytes never reach the file system.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, posix } from 'node:path';
import { isWithin } from '../files/file-picker.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** Unknown types go out as bytes; with `nosniff` a browser will not run them as script or style. */
export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticResult =
  | { readonly status: 200; readonly body: Buffer; readonly contentType: string; readonly path: string }
  | { readonly status: 400 | 404; readonly reason: string };

/** The file for a URL path (`/`, `/assets/index-3f2a.js`), read from `root`. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticResult> {
  const relative = safeRelativePath(urlPath);
  if (relative === null) return { status: 400, reason: 'bad path' };
  const realRoot = await realpath(root).catch(() => null);
  if (realRoot === null) return { status: 404, reason: 'the renderer is not built' };
  const real = await realpath(join(realRoot, relative)).catch(() => null);
  // a symlink inside the build that points elsewhere is as good as `..`
  if (real === null || !isWithin(real, realRoot)) return { status: 404, reason: 'not found' };
  const s = await stat(real);
  if (!s.isFile()) return { status: 404, reason: 'not found' };
  return { status: 200, body: await readFile(real), contentType: contentType(real), path: real };
}

/** `/a/b.js` → `a/b.js`; `/` → `index.html`; null for anything that could step outside the root. */
export function safeRelativePath(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  const joined = posix.join(...(segments.length > 0 ? segments : ['index.html']));
  return joined;
}
