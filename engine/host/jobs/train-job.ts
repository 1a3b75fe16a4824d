/**
 * The train job: the training engine's library call, its events forwarded as they come (`event`
 * renamed `type`, as every job event has), checkpoints in the run folder the host chose. A cancel
 * stops the run at the next step boundary; its `done` event (with the last checkpoint) still goes
 * out before the job ends as cancelled.
 */
import type { TrainJobOptions } from '../../api/studio-api.js';
import { train } from '../../runtime/train/index.js';
import { throwIfCancelled, type JobContext } from './job-protocol.js';

/** What the host passes on: the user's options, and the run folder it picked (never one from the page). */
export type TrainJobSpec = Omit<TrainJobOptions, 'resumeRun'> & { readonly runId: string; readonly outDir: string; readonly resume: boolean };

export async function runTrainJob(ctx: JobContext<TrainJobSpec>): Promise<Record<string, unknown>> {
  const { runId, outDir, resume, ...options } = ctx.options;
  let result: Record<string, unknown> = { runId };
  for await (const e of train(ctx.document, { ...options, outDir, resume, signal: ctx.signal })) {
    const { event, ...fields } = e;
    ctx.emit({ type: event, ...fields });
    if (event === 'done') result = { runId, ...fields };
  }
  throwIfCancelled(ctx.signal);
  return result;
}
