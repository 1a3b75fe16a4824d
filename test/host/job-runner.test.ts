/** The job runner ends every job exactly once, whatever its worker thread does. */
import { afterEach, describe, expect, it } from 'vitest';
import type { StudioEvent } from '../../engine/api/studio-api.js';
import { JobRunner } from '../../engine/host/jobs/job-runner.js';
import { lifCnn } from '../../templates/lif-cnn.js';

const FIXTURE = new URL('./fixtures/misbehaving-job-worker.ts', import.meta.url).href;
const document = lifCnn();

function runner(cancelGraceMs = 200) {
  const events: StudioEvent[] = [];
  const r = new JobRunner((e) => events.push(e), { cancelGraceMs, workerEntry: FIXTURE });
  const ended = (jobId: string) =>
    new Promise<StudioEvent>((resolve) => {
      const poll = setInterval(() => {
        const end = events.find((e) => e.type === 'job-end' && e.jobId === jobId);
        if (end) {
          clearInterval(poll);
          // give stray messages a chance to arrive before the caller counts events
          setTimeout(() => resolve(end), 50);
        }
      }, 10);
    });
  return { r, events, ended };
}

let open: JobRunner[] = [];
afterEach(async () => {
  await Promise.all(open.map((r) => r.close()));
  open = [];
});

describe('JobRunner', () => {
  it('forwards events and the result, and drops anything sent after the end', async () => {
    const { r, events, ended } = runner();
    open.push(r);
    const jobId = r.start({ kind: 'profile', document, options: { behaviour: 'events' } });
    expect(await ended(jobId)).toEqual({ type: 'job-end', jobId, kind: 'profile', ok: true, result: { answer: 42 } });
    expect(events.filter((e) => e.type === 'job').map((e) => (e as { event: unknown }).event)).toEqual([{ type: 'progress', done: 1 }]);
    expect(r.running()).toEqual([]);
  });

  it('terminates a job that ignores cancellation, after the grace period', async () => {
    const { r, events, ended } = runner(150);
    open.push(r);
    const jobId = r.start({ kind: 'profile', document, options: { behaviour: 'hang' } });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => events.some((e) => e.type === 'job') && (clearInterval(poll), resolve()), 10);
    });
    const t0 = Date.now();
    expect(r.cancel(jobId)).toBe(true);
    expect(await ended(jobId)).toMatchObject({ ok: false, cancelled: true });
    expect(Date.now() - t0).toBeLessThan(5000);
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
    expect(events.filter((e) => e.type === 'job-end')).toHaveLength(2);
  });

  it('cancel of an unknown job is false', () => {
    const { r } = runner();
    expect(r.cancel('nope')).toBe(false);
  });
});
