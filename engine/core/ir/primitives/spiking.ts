/**
 * Spiking primitives. A neuron is charge, fire, reset (STYLE.md): every charge rule reduces to
 * H[t] = a·V[t−1] + X'[t] with X' an affine map of the input computed once for all T, so the
 * unrolled loop costs two elementwise ops per step for the charge, and float keep-masks (never
 * Where, notes/ort-training.md) for fire and reset.
 */
import type { OnnxEmitter } from '../../onnx/emitter.js';
import type { Primitive } from '../primitive.js';

export type SurrogateSpec =
  | { readonly name: 'sigmoid'; readonly alpha: number }
  | { readonly name: 'atan'; readonly alpha: number }
  | { readonly name: 'piecewise_quadratic'; readonly alpha: number }
  | { readonly name: 'rectangle'; readonly alpha: number }
  | { readonly name: 'piecewise_leaky_relu'; readonly w: number; readonly c: number }
  | { readonly name: 'dspike'; readonly b: number; readonly c: number };

export interface NeuronAttrs {
  /** if: H = V + X; lif: leak by 1/tau; plif: 1/tau = sigmoid(w), w the second input; dhs: SpikeDHS. */
  readonly charge: 'if' | 'lif' | 'plif' | 'dhs';
  readonly tau: number;
  readonly decayInput: boolean;
  /** null: soft reset (subtract the threshold). */
  readonly vReset: number | null;
  readonly threshold: number;
  /** Fire on H > threshold instead of H ≥ threshold (SpikeDHS). */
  readonly strict: boolean;
  /** Multiplies the membrane after reset (SpikeDHS decay 0.2); 1 elsewhere. */
  readonly postResetDecay: number;
  readonly detachReset: boolean;
  readonly surrogate: SurrogateSpec;
}

/**
 * x [T, M] (→ spikes [T, M]); plif takes its w [1] as a second input. Initial state: v_reset for a
 * hard reset, 0 for a soft one (SpikingJelly).
 */
export const neuron: Primitive<NeuronAttrs> = {
  shape: ([x, w], a) => {
    if (x!.shape.length !== 2) throw new Error('neuron input must be [T, M]');
    if (a.charge === 'plif' && (!w || w.shape.length !== 1 || w.shape[0] !== 1)) throw new Error('plif needs w [1]');
    return [{ shape: x!.shape }];
  },
  emit: (e, io, a) => emitNeuron(e, io.inputs, io.outputs[0]!, io.inShapes[0]!, a),
};

function emitNeuron(e: OnnxEmitter, inputs: readonly string[], out: string, shape: readonly number[], a: NeuronAttrs): void {
  const T = shape[0]!;
  const vr = a.vReset ?? 0;
  // decay a and input map X' = p·X + q, per charge rule (spec §1.1)
  let decay: string; // name of a scalar (constant or computed)
  let xs: string;
  const x = inputs[0]!;
  if (a.charge === 'plif') {
    const k = e.node1('Sigmoid', [inputs[1]!]);
    decay = e.node1('Sub', [e.scalar(1), k]);
    xs = a.decayInput
      ? e.node1('Mul', [vr === 0 ? x : e.node1('Add', [x, e.scalar(vr)]), k])
      : vr === 0
        ? x
        : e.node1('Add', [x, e.node1('Mul', [k, e.scalar(vr)])]);
  } else if (a.charge === 'lif') {
    const inv = 1 / a.tau;
    decay = e.scalar(1 - inv);
    if (a.decayInput) xs = vr === 0 ? e.node1('Mul', [x, e.scalar(inv)]) : e.node1('Mul', [e.node1('Add', [x, e.scalar(vr)]), e.scalar(inv)]);
    else xs = vr === 0 || a.vReset === null ? x : e.node1('Add', [x, e.scalar(vr * inv)]);
  } else {
    decay = e.scalar(1);
    xs = x;
  }
  const steps = T === 1 ? [xs] : e.node('Split', [xs], { axis: 0 }, T);
  const th = e.scalar(a.threshold);
  const spikes: string[] = [];
  let v: string | undefined;
  for (let t = 0; t < T; t++) {
    const xt = steps[t]!;
    let h: string;
    if (t === 0) {
      // V[-1] = v_reset (hard) or 0 (soft): a special case keeps zero tensors out of the graph
      h = a.vReset !== null && vr !== 0 ? e.node1('Add', [xt, e.node1('Mul', [e.scalar(vr), decay])]) : xt;
    } else {
      h = e.node1('Add', [e.node1('Mul', [v!, decay]), xt]);
    }
    const fire = e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [h, th]);
    const s = e.node1('Cast', [fire], { to: 1 });
    spikes.push(s);
    if (t === T - 1) break;
    if (a.vReset === null) {
      v = e.node1('Sub', [h, e.node1('Mul', [s, th])]);
    } else {
      const keep = e.node1('Sub', [e.scalar(1), s]);
      v = e.node1('Mul', [h, keep]);
      if (vr !== 0) v = e.node1('Add', [v, e.node1('Mul', [s, e.scalar(vr)])]);
    }
    if (a.postResetDecay !== 1) v = e.node1('Mul', [v, e.scalar(a.postResetDecay)]);
  }
  if (T === 1) e.nodeTo('Identity', [spikes[0]!], [out]);
  else e.nodeTo('Concat', spikes, [out], { axis: 0 });
}

/** Θ(x − threshold) forward; the surrogate is used only by the VJP. */
export const heaviside: Primitive<{ threshold: number; strict: boolean; surrogate: SurrogateSpec }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => {
    const fire = e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [io.inputs[0]!, e.scalar(a.threshold)]);
    e.nodeTo('Cast', [fire], io.outputs, { to: 1 });
  },
};

/** Rate (Bernoulli) encoding: spike with probability x, clipped to [0, 1]; seeded per model. */
export const bernoulli: Primitive<{ seed: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => {
    const u = e.node1('RandomUniformLike', [io.inputs[0]!], { seed: { float: a.seed }, dtype: 1 });
    e.nodeTo('Cast', [e.node1('Less', [u, io.inputs[0]!])], io.outputs, { to: 1 });
  },
};
