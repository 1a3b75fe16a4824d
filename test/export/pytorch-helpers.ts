/** Running a PyTorch export under Debian's PyTorch, and the engine's answer on the same inputs. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';
import { TORCH_PYTHON } from '../helpers/torch.js';

const DRIVER = fileURLToPath(new URL('./pytorch_driver.py', import.meta.url));

export interface TorchRun {
  readonly logits: number[];
  /** The smallest |H − θ| any neuron saw (float64), over the batch and per sample. */
  readonly margin: number;
  readonly margins: number[];
  /** Each neuron layer's firing rate, in forward order. */
  readonly rates: [string, number][];
  /** Grad mode with candidates: the one used. */
  readonly candidate?: number;
  readonly grads?: Record<string, number[]>;
  readonly buffers?: Record<string, number[]>;
}

/** The export in `dir` on input x (float64 in PyTorch); `r`: the cotangent of a grad run. */
export function runExport(dir: string, work: string, x: Float32Array, shape: readonly number[], r?: Float32Array, minMargin?: number): TorchRun {
  writeFileSync(join(work, 'x.bin'), x);
  if (r) writeFileSync(join(work, 'r.bin'), r);
  const request = { x: join(work, 'x.bin'), shape, mode: r ? 'grad' : 'eval', ...(r ? { r: join(work, 'r.bin') } : {}), ...(minMargin === undefined ? {} : { min_margin: minMargin }) };
  writeFileSync(join(work, 'request.json'), JSON.stringify(request));
  const p = spawnSync(TORCH_PYTHON, [DRIVER, dir, join(work, 'request.json')], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  if (p.status !== 0) throw new Error(`pytorch_driver failed (${p.status}): ${p.stderr}`);
  return JSON.parse(p.stdout) as TorchRun;
}

/** The engine's inference logits for the same weights and input. */
export async function engineLogits(doc: GraphDocument, params: ReadonlyMap<string, Float32Array>, x: Float32Array, batch: number): Promise<Float32Array> {
  const compiled = compileInference(doc, { batch, params });
  const session = await createSession(compiled.bytes, { threads: 1 });
  try {
    const out = await session.run({ input: floatTensor(x, compiled.inputShape) });
    return (out.logits as ort.Tensor).data as Float32Array;
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
