/**
 * The host's compile calls, off its thread: one long-lived worker compiles documents in the order
 * they come, so the thread that answers the renderer never runs a compile (a large model takes
 * seconds; before the limits existed, a small document could take forever). The worker starts on
 * the first compile and does not keep the process alive. If it dies, the calls in flight fail
 * with the reason and the next call starts a fresh one.
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
  resolve(r: ResponseMap['compile']): void;
  reject(e: Error): void;
}

export class CompileThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  compile(document: unknown, batch: number): Promise<ResponseMap['compile']> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, document, batch } satisfies CompileRequest);
    });
  }

  /** Ends the worker; calls in flight fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the compile thread was closed'));
    await w?.terminate();
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
    const gone = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error(reason));
    };
    worker.on('error', (e) => gone(`compile failed: ${e.message}`));
    worker.on('exit', (code) => gone(`the compile thread exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
