/** onnxruntime-node sessions with the thread settings that matter on small machines. */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import './test-mutation.js';

export interface SessionOptions {
  /** Defaults to the machine's cores (oversubscribing made a step 3x slower: notes/ort-training.md). */
  readonly threads?: number;
  readonly profile?: boolean;
  /**
   * ONNX Runtime's memory pattern: after the first run it allocates one block laid out for the
   * whole plan. On the long unrolled training step that block is far larger than what the arena
   * reuses allocation by allocation: peak RSS of the bench's Spikformer step 4.0 GB with it, 2.2 GB
   * without (CNN 634 vs 441 MB), at the same step time. Default on (inference graphs are short).
   */
  readonly memoryPattern?: boolean;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export async function createSession(model: Uint8Array, opts: SessionOptions = {}): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    intraOpNumThreads: opts.threads ?? defaultThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    enableProfiling: opts.profile ?? false,
    enableMemPattern: opts.memoryPattern ?? true,
  });
}

export function floatTensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, [...dims]);
}

export async function runOnce(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  return (await session.run(feeds)) as Record<string, ort.Tensor>;
}

export { ort };
