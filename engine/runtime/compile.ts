/**
 * Document → ONNX inference model: analyse, lower, initialise (or take trained) parameters, emit
 * with weights as initializers and the metadata a consumer needs to feed the model.
 */
import type { GraphDocument } from '../core/document/schema.js';
import { analyseDocument, createInferCache, type GraphAnalysis, type InferCache } from '../core/graph/infer.js';
import type { Limits } from '../core/limits/limits.js';
import { initializeParams, type ParamValues } from '../core/init/initialize.js';
import { IrBuilder } from '../core/ir/builder.js';
import type { IrGraph } from '../core/ir/types.js';
import { lowerDocument, type LoweredModel } from '../core/lower/lower.js';
import { foldBatchNormIntoLinear } from '../core/optimize/fold-batchnorm.js';
import { foldLinearChains, type FoldMode } from '../core/optimize/fold-linear-chains.js';
import { hoistRepeats } from '../core/optimize/hoist-repeats.js';
import { poolSteps } from '../core/optimize/pool-steps.js';
import { pruneGraph } from '../core/optimize/prune.js';
import { emitOnnx } from '../core/onnx/emit.js';
import type { OnnxModel } from '../core/onnx/model.js';
import { ProblemsError } from '../core/problems.js';
import { documentHash } from './hash.js';
import { encodeModel } from './onnx/encode.js';

export interface CompileOptions {
  readonly batch?: number;
  readonly seed?: number;
  /** Trained values; parameters missing here are initialised from the seed. */
  readonly params?: ReadonlyMap<string, Float32Array>;
  readonly cache?: InferCache;
  /** What validation lets compile build (default: DEFAULT_LIMITS). */
  readonly limits?: Limits;
  /**
   * Fold each inference BatchNorm into the Linear before it (default on): the same function,
   * one op fewer. Off, the model mirrors the document op for op.
   */
  readonly foldBatchNorm?: boolean;
  /**
   * Fold chains of linear ops (conv, average pool, BN, scale, BN-and-pad, the sum of two chains on
   * one input) into one conv each (optimize/fold-linear-chains):
   * 'cheaper' (default) where the folded conv does no more MACs, 'all' into the deployed form the
   * value-kind analysis describes (RepConv as one 3×3 conv on spikes), false for the training form.
   */
  readonly foldLinearChains?: FoldMode | false;
  /**
   * Run the layers over a direct-encoded (T-repeated) input once on B (default on): the same
   * arithmetic on T times fewer rows, so the same outputs bit for bit. Off, they run on T·B.
   */
  readonly hoistRepeats?: boolean;
  /**
   * Pool each step of a neuron's spikes inside the neuron, before the steps are stacked
   * (optimize/pool-steps; default on): the same windows, so the same outputs bit for bit, without
   * the stack of full-size spike maps.
   */
  readonly poolSteps?: boolean;
  /** Adds outputs before the passes run (the profiler's activity taps); the passes keep every output. */
  readonly extraOutputs?: (b: IrBuilder, lowered: LoweredModel) => void;
  /** Receives the IR scope of each ONNX node, by node index (to map ORT's node times to document nodes). */
  readonly nodeScopes?: string[];
}

export interface CompiledInference {
  readonly analysis: GraphAnalysis;
  /** The document's IR: one parameter per trained tensor, as `params` holds them. */
  readonly graph: IrGraph;
  /** The IR the model was emitted from: repeats hoisted, chains and BatchNorm folded, steps pooled (what runs). */
  readonly emitted: IrGraph;
  readonly model: OnnxModel;
  readonly bytes: Uint8Array;
  readonly params: ParamValues;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'logits';

export function compileInference(doc: GraphDocument, opts: CompileOptions = {}): CompiledInference {
  const analysis = analyseDocument(doc, opts.cache ?? createInferCache(), opts.limits);
  if (!analysis.ok) throw new ProblemsError(analysis.problems);
  const batch = opts.batch ?? 1;
  const seed = opts.seed ?? doc.training?.seed ?? 0;
  const lowered = lowerDocument(doc, analysis, { batch, mode: 'infer', seed });
  const b = IrBuilder.from(lowered.graph);
  let out = lowered.output.value;
  if (lowered.output.type.timed) {
    // per-step logits (SDT / TET heads): the model's answer is their mean over T
    const s = b.shape(out);
    out = b.op1('reduce_mean', [b.op1('reshape', [out], { shape: [doc.timeSteps, batch, ...s.slice(1)] })], { axes: [0], keepdims: false });
  }
  b.output(OUTPUT_NAME, out);
  opts.extraOutputs?.(b, lowered);
  const graph = b.build();
  const params = initializeParams(graph, seed, opts.params);
  // initializeParams took the given tensors that fit; these checks report the ones that do not
  for (const [k, v] of opts.params ?? []) {
    const want = params.get(k);
    // a name the graph does not have means the values belong to another document: never drop them silently
    if (!want) throw new Error(`trained parameter "${k}" is not in "${doc.name}"`);
    if (want.length !== v.length) throw new Error(`trained parameter "${k}" has ${v.length} values; "${doc.name}" needs ${want.length}`);
  }
  const hoisted = opts.hoistRepeats === false ? graph : pruneGraph(hoistRepeats(graph));
  const chained = opts.foldLinearChains === false ? { graph: hoisted, params } : foldLinearChains(hoisted, params, opts.foldLinearChains ?? 'cheaper');
  // the weights drawn here are compile's own: BatchNorm folds into them in place, and `params` draws
  // them again (each from its own seed, so the same values) only if a caller asks for them
  const drawn = new Set(graph.params.filter((p) => params.get(p.name) !== opts.params?.get(p.name)).map((p) => p.name));
  const folded = opts.foldBatchNorm === false ? { ...chained, overwritten: [] } : foldBatchNormIntoLinear(chained.graph, chained.params, { overwrite: (name) => drawn.has(name) });
  const emitted = opts.poolSteps === false ? folded : { ...folded, graph: poolSteps(folded.graph).graph };
  const model = emitOnnx(emitted.graph, { name: doc.name, params: emitted.params, metadata: modelMetadata(doc, batch), ...(opts.nodeScopes ? { nodeScopes: opts.nodeScopes } : {}) });
  let original: ParamValues | undefined = folded.overwritten.length === 0 ? params : undefined;
  return {
    analysis,
    graph,
    emitted: emitted.graph,
    model,
    bytes: encodeModel(model),
    get params() {
      return (original ??= initializeParams(graph, seed, opts.params));
    },
    inputShape: graph.values[lowered.input.value]!.shape,
    outputShape: graph.values[out]!.shape,
  };
}

export function modelMetadata(doc: GraphDocument, batch: number): Record<string, string> {
  const encoder = doc.nodes.find((n) => n.block.endsWith('_encoder') || n.block === 'event_frames')?.block ?? 'none';
  return {
    'snn.document': doc.name,
    'snn.document_hash': documentHash(doc),
    'snn.time_steps': String(doc.timeSteps),
    'snn.encoder': encoder,
    'snn.input_kind': doc.input.kind,
    'snn.input_shape': JSON.stringify(doc.input.shape),
    'snn.batch': String(batch),
    'snn.normalize': JSON.stringify(doc.input.normalize ?? null),
    'snn.classes': JSON.stringify(doc.input.classes ?? null),
  };
}
