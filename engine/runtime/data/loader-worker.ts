/**
 * The loader worker: opens the dataset named in workerData, then answers each batch request with
 * the batch, its buffers transferred (not copied) to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './loader-protocol.js';
import { serializeError } from './loader-protocol.js';
import { openLoaderSource, type LoaderSource } from './loader-source.js';

const port = parentPort!;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  const { maker, info } = openLoaderSource((workerData as { source: LoaderSource }).source);
  port.on('message', (m: ToWorker) => {
    try {
      const batch = maker.make(m.epoch, m.index);
      post({ type: 'batch', id: m.id, batch }, [batch.x.buffer as ArrayBuffer, batch.y.buffer as ArrayBuffer]);
    } catch (e) {
      post({ type: 'error', id: m.id, error: serializeError(e) });
    }
  });
  post({ type: 'ready', info });
} catch (e) {
  post({ type: 'error', error: serializeError(e) });
}
