/**
 * One profile job at a time, as the panel shows it: started through the host (its worker thread),
 * followed through its progress events to a result checked with the API's schema. The same for a
 * look at one sample (a `sampleOnly` profile job): its rasters and membrane trace.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { profileResultSchema, sampleViewResultSchema, type ProfileOptions, type ProfileResult, type SampleViewResult, type StudioEvent } from '../../../engine/api/studio-api.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { errorMessage, studio } from '../api.js';
import { limitsParam } from '../state/limits-store.js';

export type JobState<R> =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly jobId: string | null; readonly done: number; readonly total: number }
  | { readonly phase: 'done'; readonly result: R }
  | { readonly phase: 'cancelled' }
  | { readonly phase: 'failed'; readonly error: string };

export type ProfileJobState = JobState<ProfileResult>;

interface ProfileJob<R> {
  state: JobState<R>;
  start: (document: GraphDocument, options: ProfileOptions) => Promise<void>;
  cancel: () => void;
}

export function useProfileJob(): ProfileJob<ProfileResult> {
  return useJob(profileResultSchema, 'profile');
}

/** Starts `sampleOnly` jobs: a newer one replaces the one in flight, whose result is then dropped. */
export function useSampleJob(): ProfileJob<SampleViewResult> {
  return useJob(sampleViewResultSchema, 'sample view');
}

function useJob<R>(schema: z.ZodType<R>, what: string): ProfileJob<R> {
  const [state, setState] = useState<JobState<R>>({ phase: 'idle' });
  const job = useRef<string | null>(null);

  useEffect(
    () =>
      studio().onEvent((e: StudioEvent) => {
        if (job.current === null || !('jobId' in e) || e.jobId !== job.current) return;
        if (e.type === 'job' && e.event.type === 'progress') {
          const { done, total } = e.event as { done: number; total: number };
          setState({ phase: 'running', jobId: e.jobId, done, total });
        } else if (e.type === 'job-end') {
          job.current = null;
          if (e.ok) {
            const parsed = schema.safeParse(e.result);
            setState(parsed.success ? { phase: 'done', result: parsed.data } : { phase: 'failed', error: `the ${what} result is malformed: ${parsed.error.issues[0]?.message ?? ''}` });
          } else setState(e.cancelled ? { phase: 'cancelled' } : { phase: 'failed', error: e.error ?? `the ${what} job failed` });
        }
      }),
    [schema, what],
  );

  const start = useCallback(async (document: GraphDocument, options: ProfileOptions) => {
    setState({ phase: 'running', jobId: null, done: 0, total: options.samples ?? 256 });
    const previous = job.current;
    job.current = null;
    if (previous !== null) studio().cancelJob({ jobId: previous }).catch(() => undefined);
    try {
      const { jobId } = await studio().startJob({ kind: 'profile', document, options, ...limitsParam() });
      job.current = jobId;
    } catch (e) {
      setState({ phase: 'failed', error: errorMessage(e) });
    }
  }, []);

  const cancel = useCallback(() => {
    if (job.current !== null) void studio().cancelJob({ jobId: job.current });
  }, []);

  return { state, start, cancel };
}
