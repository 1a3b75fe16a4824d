/**
 * Jobs run in worker threads (a long compile or training step never blocks the host's message
 * loop), one worker per job. This is what the host and a job's worker say to each other, and what
 * a job function sees.
 */
import type { JobEvent, JobKind } from '../../api/studio-api.js';
import type { GraphDocument } from '../../core/document/schema.js';
import type { PauseSwitch } from '../../runtime/train/pause.js';

/**
 * How long a cancelled job may take to stop by itself before its thread is terminated: a training
 * step can take seconds on a large model, and stopping cleanly keeps its data loader and the
 * last checkpoint in order.
 */
export const CANCEL_GRACE_MS: Readonly<Record<JobKind, number>> = { train: 30_000, profile: 3000, export: 3000, import: 3000 };

/** What a worker is started with (workerData): a schema-checked document and validated options. */
export interface JobSpec {
  readonly kind: JobKind;
  readonly document: GraphDocument;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Cancel ends a job; pause and resume hold a training job between two steps (other kinds ignore them). */
export type ToJobWorker = { readonly type: 'cancel' | 'pause' | 'resume' };

export type FromJobWorker =
  | { readonly type: 'event'; readonly event: JobEvent }
  | { readonly type: 'done'; readonly result: Readonly<Record<string, unknown>> }
  | { readonly type: 'failed'; readonly error: string; readonly cancelled: boolean };

export interface JobContext<Options> {
  readonly document: GraphDocument;
  readonly options: Options;
  emit(event: JobEvent): void;
  /** Aborted when the user cancels; a job checks it between steps and stops with JobCancelled. */
  readonly signal: AbortSignal;
  /** On while the user has paused the job. */
  readonly pause: PauseSwitch;
}

export type JobFunction<Options> = (ctx: JobContext<Options>) => Promise<Readonly<Record<string, unknown>>>;

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelled();
}
