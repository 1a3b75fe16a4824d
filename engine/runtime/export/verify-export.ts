/**
 * The proof an exported model is the model that was trained: the written file, loaded in a fresh
 * ONNX Runtime session as any consumer would load it, predicts the same classes on test samples as
 * the training engine's own evaluation model fed the same weights.
 */
import type { GraphDocument } from '../../core/document/schema.js';
import type { Limits } from '../../core/limits/limits.js';
import { BatchLoader } from '../data/index.js';
import { createSession, floatTensor, ort } from '../session.js';
import { analyseOrThrow } from '../train/compile.js';
import { Evaluator } from '../train/evaluator.js';
import { modelInput, sampleLength } from '../train/layout.js';

export interface ExportCheck {
  readonly samples: number;
  readonly samePredictions: number;
  /** Largest |logit difference| between the file and the engine over all samples and classes. */
  readonly maxAbsDiff: number;
}

export interface VerifyOptions {
  readonly dataset: string;
  readonly samples: number;
  /** The exported model's batch dimension. */
  readonly batch: number;
  readonly threads?: number;
  /** What the document may expand to (default: core/limits' DEFAULT_LIMITS), as it was exported under. */
  readonly limits?: Limits;
}

/** `weights`: every trained tensor by name (a checkpoint's, or the seeded values that were exported). */
export async function verifyExport(doc: GraphDocument, onnx: Uint8Array, weights: ReadonlyMap<string, Float32Array>, o: VerifyOptions): Promise<ExportCheck> {
  const normalize = doc.input.normalize ? { augment: { normalize: { mean: [...doc.input.normalize.mean], std: [...doc.input.normalize.std] } } } : {};
  const loader = await BatchLoader.open({ dataset: o.dataset, split: 'test', thread: 'main', plan: { batchSize: o.samples, seed: 0, shuffle: false, ...normalize } });
  const threads = o.threads ?? 1;
  let evaluator: Evaluator | undefined;
  let session: ort.InferenceSession | undefined;
  try {
    const first = await loader.epoch(0)[Symbol.asyncIterator]().next();
    if (first.done) throw new Error(`${o.dataset}: the test split is empty; nothing to check the export on`);
    const batch = first.value;
    evaluator = await Evaluator.create(doc, batch.size, threads, analyseOrThrow(doc, o.limits));
    const graph = evaluator.compiled.eval.graph;
    const shapes = new Map(graph.params.map((p) => [p.name, graph.values[p.value]!.shape]));
    const engine = await evaluator.logits((name) => {
      const data = weights.get(name);
      if (!data) throw new Error(`the exported weights have no "${name}"`);
      return new ort.Tensor('float32', data, [...shapes.get(name)!]);
    }, batch);

    session = await createSession(onnx, { threads });
    const perSample = sampleLength(doc);
    const classes = engine.length / batch.size;
    const input = session.inputNames[0]!;
    const output = session.outputNames[0]!;
    const exported = new Float32Array(engine.length);
    for (let start = 0; start < batch.size; start += o.batch) {
      const size = Math.min(o.batch, batch.size - start);
      const x = new Float32Array(o.batch * perSample);
      x.set(batch.x.subarray(start * perSample, (start + size) * perSample));
      const shape = inputShape(session, input);
      const out = await session.run({ [input]: floatTensor(modelInput(doc, x, o.batch), shape) });
      exported.set((out[output]!.data as Float32Array).subarray(0, size * classes), start * classes);
    }

    let same = 0;
    let maxAbsDiff = 0;
    for (let i = 0; i < batch.size; i++) {
      const a = engine.subarray(i * classes, (i + 1) * classes);
      const b = exported.subarray(i * classes, (i + 1) * classes);
      if (argmax(a) === argmax(b)) same++;
      for (let c = 0; c < classes; c++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[c]! - b[c]!));
    }
    return { samples: batch.size, samePredictions: same, maxAbsDiff };
  } finally {
    await Promise.allSettled([loader.close(), evaluator?.close(), session?.release()]);
  }
}

function inputShape(session: ort.InferenceSession, name: string): number[] {
  const meta = session.inputMetadata.find((m) => m.name === name);
  if (!meta || !meta.isTensor || meta.shape.some((d) => typeof d !== 'number')) throw new Error(`the exported model's input "${name}" has no static shape`);
  return meta.shape as number[];
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}
