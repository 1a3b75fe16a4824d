/** onnxruntime-node sessions with the thread settings that matter on small machines. */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import './test-mutation.js';

export interface SessionOptions {
  /** Defaults to the machine's cores (oversubscribing made a step 3x slower: notes/ort-training.md). */
  readonly threads?: number;
  readonly profile?: boolean;
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
  });
}

export function floatTensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, [...dims]);
}

export async function runOnce(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  return (await session.run(feeds)) as Record<string, ort.Tensor>;
}

export { ort };
