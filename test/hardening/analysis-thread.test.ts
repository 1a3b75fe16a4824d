/**
 * The host's analysis thread: compiles off the caller's thread, answers a failing compile with its
 * reason, stops a compile that runs past its time or that its caller cancels (ending the worker
 * that runs it), and gives the requests queued behind a stopped one to a fresh worker, which
 * answers them. Closed, it leaves no worker thread behind.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS } from '../../engine/core/limits/limits.js';
import { AnalysisThread } from '../../engine/host/analysis-thread.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { doublingDocument } from './bomb-docs.js';

const threads: AnalysisThread[] = [];
afterAll(async () => {
  await Promise.all(threads.map((t) => t.close()));
});

function thread(timeoutMs?: number): AnalysisThread {
  const t = new AnalysisThread(timeoutMs);
  threads.push(t);
  return t;
}

describe('AnalysisThread', () => {
  it('compiles a document, validates one, and answers an invalid one with its problems', async () => {
    const t = thread();
    const ok = await t.run('compile', lifCnn({ channels: [4, 8] }), 2, DEFAULT_LIMITS);
    expect(ok).toMatchObject({ ok: true, inputShape: [2, 1, 28, 28], outputShape: [2, 10] });
    const valid = await t.run('validate', lifCnn({ channels: [4, 8] }), 1, DEFAULT_LIMITS);
    expect(valid).toMatchObject({ ok: true, problems: [] });
    expect(valid.paramCount).toBeGreaterThan(0);
    const bad = await t.run('compile', { ...lifCnn(), timeSteps: 0 }, 1, DEFAULT_LIMITS);
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]).toMatchObject({ path: 'timeSteps' });
  }, 60_000);

  it('stops a compile that runs past its time with a message that says so', async () => {
    // a zero budget: whatever the compile, its timer fires first
    const t = thread(0);
    await expect(t.run('compile', doublingDocument(10), 1, DEFAULT_LIMITS)).rejects.toThrow('compile stopped after 0 s');
    // and again: the ended worker is replaced, not reused
    await expect(t.run('compile', doublingDocument(2), 1, DEFAULT_LIMITS)).rejects.toThrow('compile stopped after 0 s');
    expect((await thread().run('compile', doublingDocument(2), 1, DEFAULT_LIMITS)).ok).toBe(true);
  }, 60_000);

  it('cancels a running compile by its ticket; the request queued behind it is answered by a fresh worker', async () => {
    const t = thread();
    // 4,096 copies of linear → LIF: seconds of compiling
    const running = t.run('compile', doublingDocument(12, 32), 1, DEFAULT_LIMITS, 'big');
    const queued = t.run('validate', lifCnn({ channels: [4, 8] }), 1, DEFAULT_LIMITS, 'small');
    expect(t.cancel('big')).toBe(true);
    await expect(running).rejects.toMatchObject({ code: 'cancelled', message: 'compile cancelled' });
    expect(await queued).toMatchObject({ ok: true });
    expect(t.cancel('big')).toBe(false);
    // the cancelled worker exits; only its replacement is left
    await vi.waitFor(() => expect(t.threads()).toBe(1), { timeout: 10_000 });
    await t.close();
    expect(t.threads()).toBe(0);
  }, 60_000);
});
