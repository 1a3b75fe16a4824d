/**
 * Batches made by a worker thread, so decoding, framing and augmentation never block the thread
 * that drives training. The worker is unref'd whenever no batch is outstanding, so a loader that is
 * never closed cannot keep the process alive; while a request is in flight it is ref'd, so awaiting
 * a batch cannot end the process early either.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Batch } from './batch-maker.js';
import { reviveError, type FromWorker, type ToWorker } from './loader-protocol.js';
import type { LoaderInfo, LoaderSource } from './loader-source.js';

// Run from source the worker is loader-worker.ts, from a compiled build loader-worker.js.
const WORKER_ENTRY = new URL(`./loader-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
const WORKER_BOOT = new URL('./loader-worker-boot.mjs', import.meta.url);

interface Pending {
  resolve(batch: Batch): void;
  reject(error: Error): void;
}

export class WorkerSource {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly info: LoaderInfo,
  ) {
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`batch loader worker exited (code ${code})`)));
    worker.unref();
  }

  /** Starts a worker and waits until it has opened the dataset (its errors surface here). */
  static start(source: LoaderSource): Promise<WorkerSource> {
    const worker = new Worker(WORKER_BOOT, { workerData: { entry: WORKER_ENTRY, source } });
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'batch') return;
        off();
        if (m.type === 'ready') resolve(new WorkerSource(worker, m.info));
        else void worker.terminate().finally(() => reject(reviveError(m.error)));
      };
      const onError = (e: Error) => {
        off();
        reject(e);
      };
      const onExit = (code: number) => {
        off();
        reject(new Error(`batch loader worker exited (code ${code}) before opening ${source.dataset}`));
      };
      const off = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  request(epoch: number, index: number): Promise<Batch> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const message: ToWorker = { type: 'batch', id, epoch, index };
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.fail(new Error('batch loader closed'));
    await this.worker.terminate();
  }

  private receive(m: FromWorker): void {
    if (m.type === 'ready') return;
    if (m.id === undefined) {
      // An error outside any request: the worker can no longer serve batches.
      if (m.type === 'error') this.fail(reviveError(m.error));
      return;
    }
    const waiting = this.pending.get(m.id);
    if (!waiting) return;
    this.settled(m.id);
    if (m.type === 'batch') waiting.resolve(m.batch);
    else waiting.reject(reviveError(m.error));
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  /** Rejects every outstanding and future request with `error` (the first failure wins). */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, waiting] of this.pending) {
      this.settled(id);
      waiting.reject(this.failure);
    }
  }
}
