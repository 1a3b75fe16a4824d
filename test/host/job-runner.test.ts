/** The job runner ends every job exactly once, whatever its worker thread does. */
import { Worker as NodeWorker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StudioEvent } from '../../engine/api/studio-api.js';
import { JobRunner } from '../../engine/host/jobs/job-runner.js';
import { lifCnn } from '../../templates/lif-cnn.js';

/**
 * Every worker thread the runner starts and how it exited, so a test waits for the thread's own
 * events instead of for a stretch of time, and can deliver a message to the runner as the thread
 * would (a message the thread posts after its last is dropped or not by a race with terminate).
 */
const threads = vi.hoisted(() => [] as { worker: import('node:worker_threads').Worker; exited: Promise<number> }[]);
vi.mock('node:worker_threads', async (original) => {
  const m = await original<typeof import('node:worker_threads')>();
  class TrackedWorker extends m.Worker {
    constructor(...args: ConstructorParameters<typeof m.Worker>) {
      super(...args);
      threads.push({ worker: this, exited: new Promise((resolve) => this.once('exit', resolve)) });
    }
  }
  return { ...m, Worker: TrackedWorker };
});

const FIXTURE = new URL('./fixtures/misbehaving-job-worker.ts', import.meta.url).href;
const document = lifCnn();

function runner(cancelGraceMs = 200) {
  const events: StudioEvent[] = [];
  const waiting: { jobId: string; resolve: (e: StudioEvent) => void }[] = [];
  const r = new JobRunner(
    (e) => {
      events.push(e);
      if (e.type === 'job-end') for (const w of waiting.filter((w) => w.jobId === e.jobId)) w.resolve(e);
    },
    { cancelGraceMs, workerEntry: FIXTURE },
  );
  /** The job's end event, as soon as the runner emits it. */
  const ended = (jobId: string) =>
    new Promise<StudioEvent>((resolve) => {
      const end = events.find((e) => e.type === 'job-end' && e.jobId === jobId);
      if (end) resolve(end);
      else waiting.push({ jobId, resolve });
    });
  return { r, events, ended };
}

let open: JobRunner[] = [];
afterEach(async () => {
  await Promise.all(open.map((r) => r.close()));
  open = [];
  threads.length = 0;
});

describe('JobRunner', () => {
  it('uses the tracked worker (the tests below watch the threads it starts)', () => {
    expect(NodeWorker.name).toBe('TrackedWorker');
  });

  it('forwards events and the result, and drops anything sent after the end', async () => {
    const { r, events, ended } = runner();
    open.push(r);
    const jobId = r.start({ kind: 'profile', document, options: { behaviour: 'events' } });
    expect(await ended(jobId)).toEqual({ type: 'job-end', jobId, kind: 'profile', ok: true, result: { answer: 42 } });
    await threads[0]!.exited;
    // messages that arrive after the end, delivered as the thread's port delivers them
    threads[0]!.worker.emit('message', { type: 'event', event: { type: 'late' } });
    threads[0]!.worker.emit('message', { type: 'done', result: { answer: 43 } });
    threads[0]!.worker.emit('exit', 0);
    expect(events.filter((e) => e.type === 'job').map((e) => (e as { event: unknown }).event)).toEqual([{ type: 'progress', done: 1 }]);
    expect(events.filter((e) => e.type === 'job-end')).toHaveLength(1);
    expect(r.running()).toEqual([]);
  });

  it('terminates a job that ignores cancellation, after the grace period', async () => {
    const { r, events, ended } = runner(150);
    open.push(r);
    const jobId = r.start({ kind: 'profile', document, options: { behaviour: 'hang' } });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => events.some((e) => e.type === 'job') && (clearInterval(poll), resolve()), 10);
    });
    expect(r.cancel(jobId)).toBe(true);
    expect(await ended(jobId)).toMatchObject({ ok: false, cancelled: true });
    // the worker loops forever without reading a message: only a terminate ends it (exit code 1)
    expect(await threads[0]!.exited).toBe(1);
    expect(events.filter((e) => e.type === 'job-end')).toHaveLength(1);
    expect(r.cancel(jobId)).toBe(false);
  });

  it('reports a crashed worker and one that exits silently', async () => {
    const { r, events, ended } = runner();
    open.push(r);
    const crashed = r.start({ kind: 'profile', document, options: { behaviour: 'throw' } });
    const exited = r.start({ kind: 'export', document, options: { behaviour: 'exit' } });
    expect(await ended(crashed)).toMatchObject({ ok: false, error: expect.stringContaining('worker blew up') });
    expect(await ended(exited)).toMatchObject({ ok: false, kind: 'export', error: 'job worker exited (code 3)' });
    await Promise.all(threads.map((t) => t.exited));
    expect(events.filter((e) => e.type === 'job-end')).toHaveLength(2);
  });

  it('cancel of an unknown job is false', () => {
    const { r } = runner();
    expect(r.cancel('nope')).toBe(false);
  });
});
