/**
 * The desktop app's page is served from its own privileged scheme, `app://studio/`, rather than
 * from file:// (where 'self' in a CSP would mean "any local file"): the origin names exactly the
 * built renderer and nothing else, and it is the only origin the IPC handler answers.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
