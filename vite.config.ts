/**
 * Builds the renderer (renderer/ → renderer/dist). The renderer imports engine/core and
 * engine/api straight from their TypeScript sources (core runs in the renderer for instant shape
 * inference, DESIGN.md "Layers"); Vite resolves their `./x.js` specifiers to `./x.ts` itself.
 *
 * `base: './'` makes every asset URL relative so that the same build loads from file:// in
 * Electron and from the browser-mode server's http://127.0.0.1 URL.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * A strict Content-Security-Policy, added to the built page only: the dev server injects an inline
 * preamble script (React refresh) that this policy would refuse. Styles stay 'unsafe-inline'
 * because React Flow and Mantine position and theme elements through style attributes and tags.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'snn-studio-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 4000,
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [repoRoot] },
  },
});
