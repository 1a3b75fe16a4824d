/**
 * One training run on ONNX Runtime: the step session, created once, and the run's state (parameters,
 * BN statistics, optimizer state) as tensors that each step's outputs replace: step k's output
 * tensors are step k+1's inputs as they are, never converted or copied in between. An evaluation
 * session (forward only, BN on running statistics) reads the same parameter tensors.
 */
import type { Limits } from '../../core/limits/limits.js';
import type { GraphDocument } from '../../core/document/schema.js';
import type { GraphAnalysis } from '../../core/graph/infer.js';
import { initializeParams } from '../../core/init/initialize.js';
import { STEP_CORRECT, STEP_COUNT, STEP_GRAD_NORM, STEP_INPUT, STEP_LABELS, STEP_LOSS, STEP_LR } from '../../core/train/names.js';
import type { TrainStepOptions } from '../../core/train/step.js';
import { Rng } from '../../core/rng.js';
import { createSession, ort } from '../session.js';
import { analyseOrThrow, compileTrainStep, type CompiledStep } from './compile.js';
import { Evaluator, type EvalBatch, type EvalResult } from './evaluator.js';
import { modelInput } from './layout.js';

export interface RunTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface StepResult {
  /** Mean loss over the batch. */
  readonly loss: number;
  /** Samples classified right. */
  readonly correct: number;
  /** Spikes per layer over the batch, in `spikeLayers` order. */
  readonly spikes: readonly number[];
  readonly gradNorm?: number;
}

export class TrainingRun {
  private evaluator: Evaluator | undefined;

  private constructor(
    readonly doc: GraphDocument,
    private readonly analysis: GraphAnalysis,
    readonly compiled: CompiledStep,
    private readonly session: ort.InferenceSession,
    private readonly state: Map<string, ort.Tensor>,
    readonly threads: number,
    /** Steps taken so far (the next step is number stepsDone + 1). */
    public stepsDone: number,
    /** The run's seed: with the step number it fixes every step's noise (rate encoding, dropout). */
    readonly seed: number,
  ) {}

  /** Compiles the step, opens its session and initialises the state from the seed (or `initial`). */
  static async create(doc: GraphDocument, o: TrainStepOptions & { readonly threads: number; readonly limits?: Limits }, initial?: ReadonlyMap<string, RunTensor>): Promise<TrainingRun> {
    const analysis = analyseOrThrow(doc, o.limits);
    const compiled = compileTrainStep(doc, o, analysis);
    const session = await createSession(compiled.bytes, { threads: o.threads, memoryPattern: false });
    const values = initializeParams(compiled.step.graph, o.seed ?? 0);
    const state = new Map<string, ort.Tensor>();
    for (const p of compiled.step.params) state.set(p.name, new ort.Tensor('float32', values.get(p.name)!, [...p.shape]));
    for (const [name, shape] of compiled.step.state) state.set(name, new ort.Tensor('float32', new Float32Array(count(shape)), [...shape]));
    const run = new TrainingRun(doc, analysis, compiled, session, state, o.threads, 0, o.seed ?? 0);
    if (initial) run.load(initial, 0);
    return run;
  }

  get batch(): number {
    return this.compiled.step.batch;
  }

  get spikeLayers(): readonly string[] {
    return this.compiled.step.spikeLayers.map((l) => l.name);
  }

  /** One optimizer step on a full batch: x laid out as the dataset gives it, labels as class indices. */
  async step(x: Float32Array, labels: Int32Array, lr: number): Promise<StepResult> {
    const s = this.compiled.step;
    const feeds: Record<string, ort.Tensor> = Object.fromEntries(this.state);
    feeds[STEP_INPUT] = new ort.Tensor('float32', modelInput(this.doc, x, s.batch), [...s.inputShape]);
    feeds[STEP_LABELS] = new ort.Tensor('int64', BigInt64Array.from(labels, (v) => BigInt(v)), [s.batch]);
    feeds[STEP_LR] = new ort.Tensor('float32', Float32Array.of(lr), []);
    feeds[STEP_COUNT] = new ort.Tensor('float32', Float32Array.of(this.stepsDone + 1), []);
    for (const [k, n] of s.noise.entries()) feeds[n.name] = new ort.Tensor('float32', stepNoise(this.seed, this.stepsDone + 1, k, n.shape), [...n.shape]);
    const out = (await this.session.run(feeds)) as Record<string, ort.Tensor>;
    for (const [input, output] of s.feedback) this.state.set(input, out[output]!);
    this.stepsDone++;
    const scalar = (name: string) => (out[name]!.data as Float32Array)[0]!;
    return {
      loss: scalar(STEP_LOSS),
      correct: scalar(STEP_CORRECT),
      spikes: s.spikeLayers.map((l) => scalar(l.output)),
      ...(s.hasGradNorm ? { gradNorm: scalar(STEP_GRAD_NORM) } : {}),
    };
  }

  /** Spike counts of a step → firing rates per layer. */
  firingRates(spikes: readonly number[]): Record<string, number> {
    return Object.fromEntries(this.compiled.step.spikeLayers.map((l, i) => [l.name, spikes[i]! / l.elements]));
  }

  /** Accuracy, loss and firing rates over batches of any size, with the run's current parameters. */
  async evaluate(batches: AsyncIterable<EvalBatch> | Iterable<EvalBatch>): Promise<EvalResult> {
    this.evaluator ??= await Evaluator.create(this.doc, this.batch, this.threads, this.analysis);
    return this.evaluator.evaluate((name) => this.state.get(name)!, batches);
  }

  /** Parameters, BN statistics and optimizer state, by name (the arrays are the run's own: do not modify). */
  tensors(): Map<string, RunTensor> {
    const out = new Map<string, RunTensor>();
    for (const [name, t] of this.state) out.set(name, { shape: t.dims as number[], data: t.data as Float32Array });
    return out;
  }

  /** Replaces state tensors (a checkpoint); unknown names or shape mismatches are errors. */
  load(tensors: ReadonlyMap<string, RunTensor>, stepsDone: number): void {
    for (const [name, t] of tensors) {
      const cur = this.state.get(name);
      if (!cur) throw new Error(`checkpoint tensor "${name}" is not part of this model`);
      const want = cur.dims.join(',');
      if (t.shape.join(',') !== want) throw new Error(`checkpoint tensor "${name}" is [${t.shape.join(',')}], the model expects [${want}]`);
      this.state.set(name, new ort.Tensor('float32', Float32Array.from(t.data), [...t.shape]));
    }
    this.stepsDone = stepsDone;
  }

  async close(): Promise<void> {
    await this.session.release();
    await this.evaluator?.close();
    this.evaluator = undefined;
  }
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The uniform noise of noise input `k` at step `step`: a pure function of (run seed, step, k), so
 * that a run resumed at any step draws what the uninterrupted run drew there.
 */
export function stepNoise(seed: number, step: number, k: number, shape: readonly number[]): Float32Array {
  const rng = Rng.fromSeed(Rng.fromSeed(Rng.fromSeed(seed).nextUint32() ^ step).nextUint32() ^ k);
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform();
  return out;
}
