/**
 * The host's compile thread: compiles off the caller's thread, answers a failing compile with its
 * reason, and a compile that runs past its time is stopped (its worker ended) with a message that
 * says so, while the host's other compile threads are unaffected.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CompileThread } from '../../engine/host/compile-thread.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { doublingDocument } from './bomb-docs.js';

const threads: CompileThread[] = [];
afterAll(async () => {
  await Promise.all(threads.map((t) => t.close()));
});

describe('CompileThread', () => {
  it('compiles a document and answers an invalid one with its problems', async () => {
    const thread = new CompileThread();
    threads.push(thread);
    const ok = await thread.compile(lifCnn({ channels: [4, 8] }), 2);
    expect(ok).toMatchObject({ ok: true, inputShape: [2, 1, 28, 28], outputShape: [2, 10] });
    const bad = await thread.compile({ ...lifCnn(), timeSteps: 0 }, 1);
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]).toMatchObject({ path: 'timeSteps' });
  }, 60_000);

  it('stops a compile that runs past its time with a message that says so', async () => {
    // a zero budget: whatever the compile, its timer fires first
    const thread = new CompileThread(0);
    threads.push(thread);
    await expect(thread.compile(doublingDocument(10), 1)).rejects.toThrow('compile stopped after 0 s');
    // and again: the ended worker is replaced, not reused
    await expect(thread.compile(doublingDocument(2), 1)).rejects.toThrow('compile stopped after 0 s');
    const patient = new CompileThread();
    threads.push(patient);
    expect((await patient.compile(doublingDocument(2), 1)).ok).toBe(true);
  }, 60_000);
});
