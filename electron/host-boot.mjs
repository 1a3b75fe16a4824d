// Starts the engine's utility process. From source (`npm start`) the engine is TypeScript, so tsx's
// loader is registered first; a packaged app runs the compiled JavaScript and skips it. The main
// process names the entry in SNN_STUDIO_HOST_ENTRY.
import { pathToFileURL } from 'node:url';

const entry = process.env.SNN_STUDIO_HOST_ENTRY;
if (!entry) throw new Error('SNN_STUDIO_HOST_ENTRY is not set: start the engine through the main process');
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(pathToFileURL(entry).href);
