/**
 * Starts, tracks and cancels jobs. Each job runs in its own worker thread, so a job can be stopped
 * even in the middle of a long synchronous compile: cancel first asks the job (it stops cleanly at
 * its next check), and terminates the thread if it has not ended after a grace period. Every job
 * ends with exactly one `job-end` event, whatever happens to its thread.
 */
import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobEvent, StudioEvent } from '../../api/studio-api.js';
import { CANCEL_GRACE_MS, type FromJobWorker, type JobSpec, type ToJobWorker } from './job-protocol.js';

// From source the worker is job-worker.ts, from a compiled build job-worker.js; the data loader's
// boot file registers tsx for a .ts entry (a worker cannot inherit it) and then imports the entry.
const WORKER_ENTRY = new URL(`./job-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
const WORKER_BOOT = new URL('../../runtime/data/loader-worker-boot.mjs', import.meta.url);

export interface JobRunnerOptions {
  /** How long a cancelled job may take to stop by itself before its thread is terminated (default: per kind). */
  readonly cancelGraceMs?: number;
  /** The worker module (a file URL); tests run jobs that hang, crash or exit here. */
  readonly workerEntry?: string;
}

interface RunningJob {
  readonly spec: JobSpec;
  readonly worker: Worker;
  cancelled: boolean;
  ended: boolean;
  killTimer?: ReturnType<typeof setTimeout>;
}

export class JobRunner {
  private readonly jobs = new Map<string, RunningJob>();

  constructor(
    private readonly emit: (event: StudioEvent) => void,
    private readonly options: JobRunnerOptions = {},
  ) {}

  start(spec: JobSpec): string {
    const jobId = randomUUID();
    const worker = new Worker(WORKER_BOOT, { workerData: { entry: this.options.workerEntry ?? WORKER_ENTRY, spec } });
    const job: RunningJob = { spec, worker, cancelled: false, ended: false };
    this.jobs.set(jobId, job);
    worker.on('message', (m: FromJobWorker) => {
      if (m.type === 'event') this.event(jobId, job, m.event);
      else if (m.type === 'done') this.end(jobId, job, { ok: true, result: m.result });
      else this.end(jobId, job, m.cancelled || job.cancelled ? { ok: false, cancelled: true, error: 'cancelled' } : { ok: false, error: m.error });
    });
    worker.on('error', (e) => this.end(jobId, job, { ok: false, error: `job crashed: ${e.message}` }));
    worker.on('exit', (code) =>
      this.end(jobId, job, job.cancelled ? { ok: false, cancelled: true, error: 'cancelled' } : { ok: false, error: `job worker exited (code ${code})` }),
    );
    return jobId;
  }

  /** false when there is no such job or it has already ended. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.ended) return false;
    if (!job.cancelled) {
      job.cancelled = true;
      job.worker.postMessage({ type: 'cancel' } satisfies ToJobWorker);
      job.killTimer = setTimeout(() => void job.worker.terminate(), this.options.cancelGraceMs ?? CANCEL_GRACE_MS[job.spec.kind]);
    }
    return true;
  }

  /** Holds a running job between two steps (training honours it); false when there is no such job. */
  pause(jobId: string): boolean {
    return this.send(jobId, 'pause');
  }

  resume(jobId: string): boolean {
    return this.send(jobId, 'resume');
  }

  running(): string[] {
    return [...this.jobs.keys()];
  }

  /** Cancels every job and waits for the threads to go (host shutdown). */
  async close(): Promise<void> {
    const jobs = [...this.jobs.entries()];
    for (const [id] of jobs) this.cancel(id);
    await Promise.all(jobs.map(([, job]) => job.worker.terminate()));
  }

  private send(jobId: string, type: 'pause' | 'resume'): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.ended || job.cancelled) return false;
    job.worker.postMessage({ type } satisfies ToJobWorker);
    return true;
  }

  private event(jobId: string, job: RunningJob, event: JobEvent): void {
    // a worker posts its own kind's events (job-worker.ts); the renderer's client checks them against the schema
    if (!job.ended) this.emit({ type: 'job', jobId, kind: job.spec.kind, event } as StudioEvent);
  }

  private end(jobId: string, job: RunningJob, outcome: { ok: boolean; cancelled?: boolean; error?: string; result?: Readonly<Record<string, unknown>> }): void {
    if (job.ended) return;
    job.ended = true;
    clearTimeout(job.killTimer);
    this.jobs.delete(jobId);
    void job.worker.terminate();
    this.emit({ type: 'job-end', jobId, kind: job.spec.kind, ...outcome });
  }
}
