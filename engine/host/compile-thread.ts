/**
 * The host's compile calls, off its thread: one long-lived worker compiles documents in the order
 * they come, so the thread that answers the renderer never runs a compile (a large model takes
 * seconds; before the limits existed, a small document could take forever). The worker starts on
 * the first compile and does not keep the process alive. If it dies, the calls in flight fail
 * with the reason and the next call starts a fresh one. A compile that runs past `timeoutMs` (a
 * safety net: the limits keep a valid document's compile to well under a minute) ends the
 * worker, so a stuck compile never holds the queue.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResponseMap } from '../api/studio-api.js';

// From source the entry is compile-worker.ts, which the data loader's boot file registers tsx for.
const WORKER_ENTRY = new URL(`./compile-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
const WORKER_BOOT = new URL('../runtime/data/loader-worker-boot.mjs', import.meta.url);

export interface CompileRequest {
  readonly id: number;
  readonly document: unknown;
  readonly batch: number;
}

export type CompileReply = { readonly id: number; readonly ok: true; readonly response: ResponseMap['compile'] } | { readonly id: number; readonly ok: false; readonly error: string };

interface Pending {
  /** The worker the request went to: when it ends, only its requests fail. */
  readonly worker: Worker;
  resolve(r: ResponseMap['compile']): void;
  reject(e: Error): void;
}

/** Far above the slowest compile the default limits allow (about 20 s). */
export const COMPILE_TIMEOUT_MS = 10 * 60_000;

export class CompileThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly timeoutMs = COMPILE_TIMEOUT_MS) {}

  compile(document: unknown, batch: number): Promise<ResponseMap['compile']> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // the clock runs from the call: a compile queued behind a slow one waits for it too
      const timer = setTimeout(() => {
        this.end(worker, new Error(`compile stopped after ${Math.round(this.timeoutMs / 1000)} s`));
        void worker.terminate();
      }, this.timeoutMs);
      timer.unref();
      const settle = () => clearTimeout(timer);
      this.pending.set(id, {
        worker,
        resolve: (r) => (settle(), resolve(r)),
        reject: (e) => (settle(), reject(e)),
      });
      worker.ref();
      worker.postMessage({ id, document, batch } satisfies CompileRequest);
    });
  }

  /** Ends the worker; calls in flight fail. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.end(w, new Error('the compile thread was closed'));
    await w.terminate();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_BOOT, { workerData: { entry: WORKER_ENTRY } });
    worker.unref();
    worker.on('message', (m: CompileReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.ok) p.resolve(m.response);
      else p.reject(new Error(m.error));
    });
    worker.on('error', (e) => this.end(worker, new Error(`compile failed: ${e.message}`)));
    worker.on('exit', (code) => this.end(worker, new Error(`the compile thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** `worker` is gone or going: the next call starts another, and the requests it held fail with `error`. */
  private end(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = undefined;
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(id);
      p.reject(error);
    }
  }
}
