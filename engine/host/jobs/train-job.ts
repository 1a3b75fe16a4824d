/**
 * The train job: the training engine's library call, its events forwarded as they come, the run
 * folder the host chose (beside the document, or the app's own). A cancel stops the run at the
 * next step boundary with a checkpoint of where it stood; its `done` event still goes out before
 * the job ends as cancelled. Pause holds the run between two steps.
 */
import type { TrainJobOptions } from '../../api/studio-api.js';
import type { Limits } from '../../core/limits/limits.js';
import { train } from '../../runtime/train/index.js';
import { throwIfCancelled, type JobContext } from './job-protocol.js';

/** What the host passes on: the user's options, and the run folder it picked (never one from the page). */
export type TrainJobSpec = Omit<TrainJobOptions, 'resumeRun' | 'documentPath'> & { readonly run: string; readonly outDir: string; readonly resume: boolean; readonly limits?: Limits };

export async function runTrainJob(ctx: JobContext<TrainJobSpec>): Promise<Record<string, unknown>> {
  const { run, outDir, resume, ...options } = ctx.options;
  let result: Record<string, unknown> = { run, outDir };
  for await (const e of train(ctx.document, { ...options, outDir, resume, signal: ctx.signal, pause: ctx.pause })) {
    ctx.emit(e);
    if (e.type === 'done') result = { run, outDir, ...e };
  }
  throwIfCancelled(ctx.signal);
  return result;
}
