/**
 * Test-set evaluation: the forward-only model (BN on running statistics), fed parameter tensors
 * by name — a training run's own, or a checkpoint's. Reports accuracy, the mean cross-entropy of
 * the time-averaged logits and per-layer firing rates; a short last batch is padded and the
 * padding left out of every number.
 */
import type { GraphDocument } from '../../core/document/schema.js';
import type { GraphAnalysis } from '../../core/graph/infer.js';
import { EVAL_LOGITS, STEP_INPUT } from '../../core/train/names.js';
import { createSession, ort } from '../session.js';
import { analyseOrThrow, compileEval, type CompiledEval } from './compile.js';
import { modelInput, sampleLength } from './layout.js';

export interface EvalBatch {
  /** [size, ...sample] */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly size: number;
}

export interface EvalResult {
  readonly samples: number;
  readonly accuracy: number;
  /** Mean cross-entropy of the time-averaged logits. */
  readonly loss: number;
  /** Layer name → fraction of its neuron-steps that fired. */
  readonly firingRates: Readonly<Record<string, number>>;
}

export class Evaluator {
  private constructor(
    private readonly doc: GraphDocument,
    readonly compiled: CompiledEval,
    private readonly session: ort.InferenceSession,
    readonly batch: number,
  ) {}

  static async create(doc: GraphDocument, batch: number, threads: number, analysis: GraphAnalysis = analyseOrThrow(doc)): Promise<Evaluator> {
    const compiled = compileEval(doc, batch, analysis);
    return new Evaluator(doc, compiled, await createSession(compiled.bytes, { threads }), batch);
  }

  /** Parameter and buffer names the model reads. */
  get parameterNames(): string[] {
    return this.session.inputNames.filter((n) => n !== STEP_INPUT);
  }

  async evaluate(param: (name: string) => ort.Tensor, batches: AsyncIterable<EvalBatch> | Iterable<EvalBatch>): Promise<EvalResult> {
    const B = this.batch;
    const ev = this.compiled.eval;
    const perSample = sampleLength(this.doc);
    const classes = ev.graph.values[ev.graph.outputs.find((o) => o.name === EVAL_LOGITS)!.value]!.shape[1]!;
    const params = Object.fromEntries(this.parameterNames.map((n) => [n, param(n)]));
    const spikes = new Float64Array(ev.spikeLayers.length);
    let samples = 0;
    let correct = 0;
    let lossSum = 0;
    for await (const batch of batches) {
      for (let start = 0; start < batch.size; start += B) {
        const size = Math.min(B, batch.size - start);
        const x = new Float32Array(B * perSample);
        x.set(batch.x.subarray(start * perSample, (start + size) * perSample));
        const feeds = { ...params, [STEP_INPUT]: new ort.Tensor('float32', modelInput(this.doc, x, B), [...ev.inputShape]) };
        const out = (await this.session.run(feeds)) as Record<string, ort.Tensor>;
        const logits = out[EVAL_LOGITS]!.data as Float32Array;
        for (let i = 0; i < size; i++) {
          const row = logits.subarray(i * classes, (i + 1) * classes);
          const label = batch.y[start + i]!;
          if (argmax(row) === label) correct++;
          lossSum += crossEntropy(row, label);
        }
        ev.spikeLayers.forEach((l, k) => {
          const counts = out[l.output]!.data as Float32Array;
          for (let i = 0; i < size; i++) spikes[k]! += counts[i]!;
        });
        samples += size;
      }
    }
    const firingRates: Record<string, number> = {};
    ev.spikeLayers.forEach((l, k) => (firingRates[l.name] = samples === 0 ? 0 : spikes[k]! / (samples * l.elementsPerSample)));
    return { samples, accuracy: samples === 0 ? 0 : correct / samples, loss: samples === 0 ? 0 : lossSum / samples, firingRates };
  }

  /** The time-averaged logits of one batch of at most `batch` samples, [size, classes]: what the engine predicts. */
  async logits(param: (name: string) => ort.Tensor, batch: EvalBatch): Promise<Float32Array> {
    const B = this.batch;
    if (batch.size > B) throw new RangeError(`logits: ${batch.size} samples do not fit the evaluator's batch of ${B}`);
    const perSample = sampleLength(this.doc);
    const x = new Float32Array(B * perSample);
    x.set(batch.x.subarray(0, batch.size * perSample));
    const feeds = { ...Object.fromEntries(this.parameterNames.map((n) => [n, param(n)])), [STEP_INPUT]: new ort.Tensor('float32', modelInput(this.doc, x, B), [...this.compiled.eval.inputShape]) };
    const out = (await this.session.run(feeds)) as Record<string, ort.Tensor>;
    const all = out[EVAL_LOGITS]!.data as Float32Array;
    return all.slice(0, (all.length / B) * batch.size);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

function crossEntropy(row: Float32Array, label: number): number {
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  return Math.log(sum) + max - row[label]!;
}
