/**
 * One worker thread that validates or compiles documents in the order they come, so the thread
 * that answers the renderer never runs either (a large model takes seconds to build; before the
 * limits existed, a small document could take forever). The worker starts on the first request
 * and does not keep the process alive while idle.
 *
 * A request can be stopped: by its caller (cancel, by the ticket it was sent with) or by the
 * safety net (`timeoutMs`; the limits keep a valid document's compile well under a minute). A
 * synchronous compile cannot be interrupted, so stopping one ends its worker; the requests queued
 * behind it go to a fresh worker and still get their answers. If a worker dies by itself, the
 * requests it held fail with the reason (one of them may be the cause, so none is retried).
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResponseMap } from '../api/studio-api.js';
import type { Limits } from '../core/limits/limits.js';
import { HostError } from './errors.js';

// From source the entry is analysis-worker.ts, which the data loader's boot file registers tsx for.
const WORKER_ENTRY = new URL(`./analysis-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
const WORKER_BOOT = new URL('../runtime/data/loader-worker-boot.mjs', import.meta.url);

export type AnalysisOp = 'validate' | 'compile';

export interface AnalysisRequest {
  readonly id: number;
  readonly op: AnalysisOp;
  readonly document: unknown;
  readonly batch: number;
  readonly limits: Limits;
}

export type AnalysisReply =
  | { readonly id: number; readonly ok: true; readonly response: ResponseMap[AnalysisOp] }
  | { readonly id: number; readonly ok: false; readonly error: string };

interface Pending {
  readonly request: AnalysisRequest;
  readonly ticket: string | undefined;
  /** The worker the request was last sent to: when it ends, only its requests are affected. */
  worker: Worker;
  readonly timer: ReturnType<typeof setTimeout>;
  resolve(r: ResponseMap[AnalysisOp]): void;
  reject(e: Error): void;
}

/** Far above the slowest compile the default limits allow (about 20 s). */
export const ANALYSIS_TIMEOUT_MS = 10 * 60_000;

export class AnalysisThread {
  private worker: Worker | undefined;
  /** Every worker started and not yet exited (a retired one exits shortly after it is terminated). */
  private readonly live = new Set<Worker>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly timeoutMs = ANALYSIS_TIMEOUT_MS) {}

  run<Op extends AnalysisOp>(op: Op, document: unknown, batch: number, limits: Limits, ticket?: string): Promise<ResponseMap[Op]> {
    const request: AnalysisRequest = { id: this.nextId++, op, document, batch, limits };
    return new Promise((resolve, reject) => {
      // the clock runs from the call: a request queued behind a slow one waits for it too
      const timer = setTimeout(() => this.stop(request.id, new Error(`${op} stopped after ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
      timer.unref();
      const p: Pending = { request, ticket, worker: this.current(), timer, resolve: resolve as Pending['resolve'], reject };
      this.pending.set(request.id, p);
      this.send(p);
    });
  }

  /** Stops every request sent with `ticket` (they fail with code `cancelled`); false when none is in flight. */
  cancel(ticket: string): boolean {
    const ids = [...this.pending.values()].filter((p) => p.ticket === ticket).map((p) => p.request.id);
    for (const id of ids) this.stop(id, new HostError('cancelled', `${this.pending.get(id)!.request.op} cancelled`));
    return ids.length > 0;
  }

  /** Worker threads that have not exited yet. */
  threads(): number {
    return this.live.size;
  }

  /** Ends every worker and waits until they have exited; requests in flight fail. */
  async close(): Promise<void> {
    const workers = [...this.live];
    for (const w of workers) this.end(w, new Error('the analysis thread was closed'));
    await Promise.all(workers.map((w) => (this.live.has(w) ? new Promise((done) => w.once('exit', done)) : null)));
  }

  private current(): Worker {
    return this.worker ?? this.start();
  }

  private send(p: Pending): void {
    p.worker.ref();
    p.worker.postMessage(p.request);
  }

  private start(): Worker {
    const worker = new Worker(WORKER_BOOT, { workerData: { entry: WORKER_ENTRY } });
    worker.unref();
    this.live.add(worker);
    worker.on('message', (m: AnalysisReply) => {
      const p = this.pending.get(m.id);
      if (!p || p.worker !== worker) return;
      this.settle(p);
      if (![...this.pending.values()].some((q) => q.worker === worker)) worker.unref();
      if (m.ok) p.resolve(m.response);
      else p.reject(new Error(m.error));
    });
    worker.on('error', (e) => this.end(worker, new Error(`${this.busyWith(worker)} failed: ${e.message}`)));
    worker.on('exit', (code) => {
      this.live.delete(worker);
      this.end(worker, new Error(`the ${this.busyWith(worker)} thread exited (code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  /**
   * Fails one request with `error` and ends the worker that holds it (it may be running it, and a
   * compile cannot be interrupted); the other requests that worker held are sent to a fresh one.
   */
  private stop(id: number, error: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.settle(p);
    p.reject(error);
    const old = p.worker;
    if (this.worker === old) this.worker = undefined;
    void old.terminate();
    const moved = [...this.pending.values()].filter((q) => q.worker === old).sort((a, b) => a.request.id - b.request.id);
    for (const q of moved) {
      q.worker = this.current();
      this.send(q);
    }
  }

  /** `worker` is gone or going: the next request starts another, and the requests it held fail with `error`. */
  private end(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = undefined;
    for (const p of [...this.pending.values()]) {
      if (p.worker !== worker) continue;
      this.settle(p);
      p.reject(error);
    }
    void worker.terminate();
  }

  private settle(p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(p.request.id);
  }

  /** What the worker was doing, for a message about its end: the oldest request it holds. */
  private busyWith(worker: Worker): string {
    let oldest: Pending | undefined;
    for (const p of this.pending.values()) if (p.worker === worker && (!oldest || p.request.id < oldest.request.id)) oldest = p;
    return oldest?.request.op ?? 'analysis';
  }
}
