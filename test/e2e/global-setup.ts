/** Builds the renderer the tests load (renderer/dist), from the sources as they are now. */
import { build } from 'vite';
import { fileURLToPath } from 'node:url';
import { browserSkipReason } from './browser-path.js';

export default async function setup(): Promise<void> {
  // without a browser every test skips (saying why): a build would be wasted
  if (browserSkipReason() !== undefined) return;
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
