/**
 * The Content-Security-Policy of the app's page, sent as a header by the browser-mode server and by
 * the desktop app's session (on top of the meta tag the renderer build adds; a browser enforces
 * both). Scripts only from the app itself, no eval, no plugins, no framing, no form posts; styles
 * may be inline because React Flow and Mantine position and theme elements through style attributes.
 */
export function contentSecurityPolicy(extraConnect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...extraConnect].join(' ')}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
