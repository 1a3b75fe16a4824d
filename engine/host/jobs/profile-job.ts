/**
 * The profile job: compile the inference model, open an ONNX Runtime session on it, and time
 * forward passes over a seeded random batch (after a few untimed warm-up runs, so that ORT's
 * one-off allocations and kernel selection are not counted). Reports each pass as it goes.
 */
import type { ProfileOptions } from '../../api/studio-api.js';
import { Rng } from '../../core/rng.js';
import { compileInference, INPUT_NAME } from '../../runtime/compile.js';
import { createSession, floatTensor } from '../../runtime/session.js';
import { throwIfCancelled, type JobContext } from './job-protocol.js';

export async function runProfileJob(ctx: JobContext<ProfileOptions>): Promise<Record<string, unknown>> {
  const { batch = 1, iterations = 20, warmup = 2, seed = 0 } = ctx.options;
  let t = performance.now();
  const compiled = compileInference(ctx.document, { batch, seed });
  const compileMs = performance.now() - t;
  ctx.emit({ type: 'phase', phase: 'compile', ms: compileMs });
  throwIfCancelled(ctx.signal);

  t = performance.now();
  const session = await createSession(compiled.bytes);
  const sessionMs = performance.now() - t;
  ctx.emit({ type: 'phase', phase: 'session', ms: sessionMs });
  try {
    const rng = Rng.fromSeed(seed);
    const data = new Float32Array(compiled.inputShape.reduce((a, b) => a * b, 1)).map(() => rng.uniform());
    const feeds = { [INPUT_NAME]: floatTensor(data, compiled.inputShape) };
    for (let i = 0; i < warmup; i++) {
      throwIfCancelled(ctx.signal);
      await session.run(feeds);
    }
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      throwIfCancelled(ctx.signal);
      t = performance.now();
      await session.run(feeds);
      const ms = performance.now() - t;
      times.push(ms);
      ctx.emit({ type: 'progress', done: i + 1, total: iterations, ms });
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      batch,
      iterations,
      meanMs: times.reduce((a, b) => a + b, 0) / times.length,
      medianMs: sorted[Math.floor(sorted.length / 2)]!,
      minMs: sorted[0]!,
      compileMs,
      sessionMs,
      paramCount: compiled.analysis.paramCount,
      macs: compiled.analysis.macs,
      spikeMacs: compiled.analysis.spikeMacs,
      modelBytes: compiled.bytes.length,
      inputShape: [...compiled.inputShape],
      outputShape: [...compiled.outputShape],
    };
  } finally {
    await session.release();
  }
}
