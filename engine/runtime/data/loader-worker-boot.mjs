// Starts the loader worker. From source the worker is TypeScript, which a worker thread cannot load
// by itself (on Node 20, `--import tsx` in a worker's execArgv does not reach the worker), so tsx's
// loader is registered here first; a compiled build passes a .js entry and skips it.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
