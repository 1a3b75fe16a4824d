/**
 * Spiking primitives. The neuron op charges, fires and resets by the row of the neuron table
 * (neurons/table.ts) its `charge` attribute names; the shared emitter (neurons/emit.ts) unrolls it
 * over T forward and walks BPTT back. The Heaviside fires a charge computed by other ops (PSN).
 */
import { emitNeuron, emitNeuronGrad, hasLearnedRate, membraneOutputs, savedSteps, stepsOf } from '../../neurons/emit.js';
import { surrogate } from '../../neurons/surrogate.js';
import type { NeuronAttrs, SurrogateSpec } from '../../neurons/types.js';
import { numelOf, type Primitive } from '../primitive.js';
import { emitPooledNeuron, emitPooledNeuronGrad, pooledOutputs, pooledSaved } from './pooled-neuron.js';

export type { NeuronAttrs, SurrogateSpec } from '../../neurons/types.js';

/**
 * x [T, M] (or [1, M] repeated over `steps`) → spikes [T, M]; a learned rate (PLIF) takes its w [1]
 * as a second input. Initial state: v_reset for a hard reset, 0 for a soft one (SpikingJelly). The
 * profile form (`membrane`, inference only) also outputs the membrane charge (membraneOutputs).
 */
export const neuron: Primitive<NeuronAttrs> = {
  rowwise: false,
  fires: true,
  shape: ([x, w], a) => {
    if (x!.shape.length !== 2) throw new Error('neuron input must be [T, M]');
    if (a.steps !== undefined && x!.shape[0] !== 1) throw new Error('a neuron with repeated input takes one step [1, M]');
    if (hasLearnedRate(a) && (!w || w.shape.length !== 1 || w.shape[0] !== 1)) throw new Error(`${a.charge} needs w [1]`);
    if (a.save && a.membrane) throw new Error('neuron: the training form and the profile form (membrane) are exclusive');
    const T = stepsOf(x!.shape, a);
    const M = x!.shape[1]!;
    const step = { shape: [1, M] };
    const membrane = Array.from({ length: membraneOutputs(a) }, () => ({ shape: [T, M] }));
    const saved = a.save ? Array.from({ length: savedSteps(T, a) }, () => step) : membrane;
    return a.pooled ? pooledOutputs(a.pooled, T, M, a.save === true, saved) : [{ shape: [T, M] }, ...saved];
  },
  emit: (e, io, a) => (a.pooled ? emitPooledNeuron(e, io, { ...a, pooled: a.pooled }) : emitNeuron(e, io.inputs, io.outputs, io.inShapes[0]!, a)),
  train: (a) => ({ ...a, save: true }),
  // its time axis is the repeat itself: one step [1, M], charged at every step
  repeatStep: (a, times) => (a.steps === undefined ? { ...a, steps: times } : undefined),
  vjp: (b, { inputs: [x, w], outputs, attrs }, [gs]) => {
    const { save: _save, ...rest } = attrs;
    const saved = attrs.pooled ? pooledSaved(attrs.pooled, outputs) : outputs.slice(1);
    return b.op('neuron_grad', [gs!, x!, ...(w === undefined ? [] : [w]), ...saved], rest);
  },
};

/** BPTT of the neuron (neurons/emit.ts): dL/dS, x (and w), what the training form saved → dL/dx (and dL/dw). */
export const neuron_grad: Primitive<NeuronAttrs> = {
  rowwise: false,
  fires: false,
  shape: ([, x], a) => (hasLearnedRate(a) ? [{ shape: x!.shape }, { shape: [1] }] : [{ shape: x!.shape }]),
  emit: (e, io, a) => (a.pooled ? emitPooledNeuronGrad(e, io, { ...a, pooled: a.pooled }) : emitNeuronGrad(e, io.inputs, io.outputs, io.inShapes, a)),
};

type HeavisideAttrs = { threshold: number; strict: boolean; surrogate: SurrogateSpec };

/** Θ(x − threshold) forward; the surrogate is used only by the VJP. */
export const heaviside: Primitive<HeavisideAttrs> = {
  rowwise: false,
  fires: true,
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => {
    const fire = e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [io.inputs[0]!, e.scalar(a.threshold)]);
    e.nodeTo('Cast', [fire], io.outputs, { to: 1 });
  },
  vjp: (b, { inputs: [x], attrs }, [g]) => [b.op1('surrogate_grad', [g!, x!], { threshold: attrs.threshold, surrogate: attrs.surrogate })],
};

/** g·g'(x − threshold): the surrogate derivative of a Heaviside. */
export const surrogate_grad: Primitive<{ threshold: number; surrogate: SurrogateSpec }> = {
  rowwise: false,
  fires: false,
  shape: ([g]) => [{ shape: g!.shape }],
  emit: (e, io, a) => {
    const { value, factor } = surrogate(e, io.inputs[0]!, io.inputs[1]!, numelOf(io.inShapes[0]!), a.threshold, a.surrogate);
    e.nodeTo(factor === 1 ? 'Identity' : 'Mul', factor === 1 ? [value] : [value, e.scalar(factor)], io.outputs);
  },
};

/**
 * Rate (Bernoulli) encoding: spike with probability x, clipped to [0, 1]. Against a second input u,
 * uniform noise the host drew (training), or else against an in-graph seeded generator.
 */
export const bernoulli: Primitive<{ seed: number }> = {
  rowwise: false,
  fires: false,
  shape: ([x, u]) => {
    if (u && u.shape.join() !== x!.shape.join()) throw new Error('bernoulli: noise must have the shape of x');
    return [{ shape: x!.shape }];
  },
  emit: (e, io, a) => {
    const u = io.inputs[1] ?? e.node1('RandomUniformLike', [io.inputs[0]!], { seed: { float: a.seed }, dtype: 1 });
    e.nodeTo('Cast', [e.node1('Less', [u, io.inputs[0]!])], io.outputs, { to: 1 });
  },
};
