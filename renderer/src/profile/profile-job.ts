/**
 * One profile job at a time, as the panel shows it: started through the host (its worker thread),
 * followed through its progress events to a result checked with the API's schema.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { profileResultSchema, type ProfileOptions, type ProfileResult, type StudioEvent } from '../../../engine/api/studio-api.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { errorMessage, studio } from '../api.js';

export type ProfileJobState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly jobId: string | null; readonly done: number; readonly total: number }
  | { readonly phase: 'done'; readonly result: ProfileResult }
  | { readonly phase: 'cancelled' }
  | { readonly phase: 'failed'; readonly error: string };

export function useProfileJob(): { state: ProfileJobState; start: (document: GraphDocument, options: ProfileOptions) => Promise<void>; cancel: () => void } {
  const [state, setState] = useState<ProfileJobState>({ phase: 'idle' });
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
            const parsed = profileResultSchema.safeParse(e.result);
            setState(parsed.success ? { phase: 'done', result: parsed.data } : { phase: 'failed', error: `the profile result is malformed: ${parsed.error.issues[0]?.message ?? ''}` });
          } else setState(e.cancelled ? { phase: 'cancelled' } : { phase: 'failed', error: e.error ?? 'the profile job failed' });
        }
      }),
    [],
  );

  const start = useCallback(async (document: GraphDocument, options: ProfileOptions) => {
    setState({ phase: 'running', jobId: null, done: 0, total: options.samples ?? 256 });
    try {
      const { jobId } = await studio().startJob({ kind: 'profile', document, options });
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
