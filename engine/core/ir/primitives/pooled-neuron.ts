/**
 * A neuron that pools each step of its spikes (NeuronAttrs.pooled, set by optimize/pool-steps.ts):
 * its output layout and emission around the shared neuron emitter. Outputs, in order: the pooled
 * steps stacked [T, M'], Σ spikes (a scalar, when `count`), what the training form saves (as for
 * any neuron), then in the training form each step's pool indices, which the VJP unpools with.
 */
import { splitSteps, stackSteps, type StackSteps, type UnstackSteps } from '../../neurons/affine.js';
import { emitNeuron, emitNeuronGrad } from '../../neurons/emit.js';
import type { NeuronAttrs, StepPool } from '../../neurons/types.js';
import type { OnnxEmitter } from '../../onnx/emitter.js';
import { countRows, numelOf, type EmitIo, type OutSpec } from '../primitive.js';
import { avgpool2d, maxpool2d, maxpool2d_grad, poolShape } from './pool.js';

/** The pooled neuron's outputs around `saved`, the training form's (or profile form's) own. */
export function pooledOutputs(p: StepPool, T: number, M: number, train: boolean, saved: OutSpec[]): OutSpec[] {
  if (numelOf(p.map) !== M) throw new Error(`neuron: a pooled step reads its ${M} spikes as a map of ${numelOf(p.map)}`);
  if (p.op !== 'maxpool2d' && p.op !== 'avgpool2d') throw new Error(`neuron: ${String(p.op)} is not a pool`);
  if (train && p.op !== 'maxpool2d') throw new Error('neuron: only a max pool has a pooled training form');
  const pooled = poolShape(p.map, p.attrs);
  const indices = train ? Array.from({ length: T }, (): OutSpec => ({ shape: pooled, dtype: 'int64' })) : [];
  return [{ shape: [T, numelOf(pooled)] }, ...(p.count ? [{ shape: [] }] : []), ...saved, ...indices];
}

/** What the VJP reads of the forward's outputs: the saved steps and, last, the pool indices. */
export function pooledSaved(p: StepPool, outputs: readonly number[]): readonly number[] {
  return outputs.slice(p.count ? 2 : 1);
}

export function emitPooledNeuron(e: OnnxEmitter, io: EmitIo, a: NeuronAttrs & { pooled: StepPool }): void {
  const T = io.outShapes[0]![0]!;
  const indices = a.save ? io.outputs.slice(io.outputs.length - T) : [];
  const first = a.pooled.count ? 2 : 1;
  const own = [io.outputs[0]!, ...io.outputs.slice(first, io.outputs.length - indices.length)];
  emitNeuron(e, io.inputs, own, io.inShapes[0]!, a, stackPooled(a.pooled, indices, a.pooled.count ? io.outputs[1] : undefined));
}

export function emitPooledNeuronGrad(e: OnnxEmitter, io: EmitIo, a: NeuronAttrs & { pooled: StepPool }): void {
  const T = io.inShapes[0]![0]!;
  const indices = io.inputs.slice(io.inputs.length - T);
  const inputs = io.inputs.slice(0, io.inputs.length - T);
  // the shared BPTT reads dL/dS as the unpooled [T, M] it unstacks
  const inShapes = [[T, numelOf(a.pooled.map)], ...io.inShapes.slice(1, inputs.length)];
  emitNeuronGrad(e, inputs, io.outputs, inShapes, a, unpoolSteps(a.pooled, indices));
}

/**
 * Pools each step [1, M] read as the pool's map (writing its indices where the training form saves
 * them), stacks the pooled steps into `out`, and sums the spikes into `count` when asked.
 */
function stackPooled(p: StepPool, indices: readonly string[], count: string | undefined): StackSteps {
  const pooled = poolShape(p.map, p.attrs);
  const row = p.op === 'maxpool2d' ? maxpool2d : avgpool2d;
  return (e, steps, out) => {
    const each = steps.map((s, t) => {
      const y = e.fresh('pooled');
      const outputs = indices.length > 0 ? [y, indices[t]!] : [y];
      row.emit(e, { inputs: [e.reshape(s, p.map)], outputs, inShapes: [p.map], outShapes: outputs.map(() => pooled) }, p.attrs);
      return e.reshape(y, [1, numelOf(pooled)]);
    });
    stackSteps(e, each, out);
    if (count !== undefined) sumSpikes(e, steps, numelOf(p.map), count);
  };
}

/**
 * Σ over the steps' spikes. As train/spike-layers' spikeCount: a whole tensor reduced to a scalar
 * runs on one thread, so each step is summed by rows first; the partial sums are integers, exact
 * in float32 below 2^24, so the count equals the one summed from the stack.
 */
function sumSpikes(e: OnnxEmitter, steps: readonly string[], M: number, out: string): void {
  const rows = countRows(M);
  const perStep = steps.map((s) => (rows === undefined ? e.node1('ReduceSum', [s], { keepdims: 0 }) : e.node1('ReduceSum', [e.reshape(s, [rows, M / rows]), e.ints([1])], { keepdims: 0 })));
  const total = perStep.length === 1 ? perStep[0]! : e.node1('Sum', perStep);
  if (rows === undefined) e.nodeTo('Identity', [total], [out]);
  else e.nodeTo('ReduceSum', [total], [out], { keepdims: 0 });
}

/** dL/dS of the pooled steps [T, M'] as T unpooled steps [1, M], each routed by its step's indices. */
function unpoolSteps(p: StepPool, indices: readonly string[]): UnstackSteps {
  const pooled = poolShape(p.map, p.attrs);
  return (e, stacked, T) =>
    splitSteps(e, stacked, T).map((g, t) => {
      const y = e.fresh('unpooled');
      maxpool2d_grad.emit(e, { inputs: [e.reshape(g, pooled), indices[t]!], outputs: [y], inShapes: [pooled, pooled], outShapes: [p.map] }, { ...p.attrs, inputShape: p.map });
      return e.reshape(y, [1, numelOf(p.map)]);
    });
}
