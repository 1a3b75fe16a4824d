/**
 * The browser-mode server's token: 256 random bits made at start, printed once in the URL, and
 * compared in constant time, so that another local user or a web page cannot guess or time it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function createAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
