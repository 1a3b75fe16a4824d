/**
 * Spiking primitives. A neuron is charge, fire, reset (STYLE.md): every charge rule reduces to
 * H[t] = a·V[t−1] + X'[t] with X' an affine map of the input computed once for all T, so the
 * unrolled loop costs two elementwise ops per step for the charge, and float keep-masks (never
 * Where, notes/ort-training.md) for fire and reset. The VJP is BPTT through the same recurrence
 * with the surrogate derivative in place of Θ'.
 */
import type { OnnxEmitter } from '../../onnx/emitter.js';
import { numelOf, type Primitive } from '../primitive.js';

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
  /**
   * Time steps when the input is one step [1, M] that repeats at every step (direct encoding,
   * hoisted by the training passes): the charge input is then computed once.
   */
  readonly steps?: number;
  /** Training form: also output, per step, what the VJP reads (see `savedSteps`). */
  readonly save?: boolean;
}

function stepsOf(xShape: readonly number[], a: NeuronAttrs): number {
  return a.steps ?? xShape[0]!;
}

/**
 * x·scale + bias (numbers) over a tensor of `numel` elements in ONE pass: BatchNormalization with
 * one channel, mean 0, variance 1 and ε 0 on the [1, 1, numel] view. ORT does not fuse a Mul and
 * an Add; this runs at the cost of one of them (0.35 vs 0.71 ms on 1.6M floats, measured). The
 * result comes back in the [1, numel] view, written to `out` when given.
 */
function affinePass(e: OnnxEmitter, x: string, numel: number, scale: number, bias: number, out?: string): string {
  const one = (v: number) => e.floats([v], [1]);
  const y = e.node1('BatchNormalization', [e.reshape(x, [1, 1, numel]), one(scale), one(bias), one(0), one(1)], { epsilon: { float: 0 } });
  if (out === undefined) return e.reshape(y, [1, numel]);
  e.nodeTo('Reshape', [y, e.ints([1, numel])], [out]);
  return out;
}

/**
 * x [T, M] (or [1, M] repeated over `steps`) → spikes [T, M]; plif takes its w [1] as a second
 * input. Initial state: v_reset for a hard reset, 0 for a soft one (SpikingJelly).
 */
export const neuron: Primitive<NeuronAttrs> = {
  shape: ([x, w], a) => {
    if (x!.shape.length !== 2) throw new Error('neuron input must be [T, M]');
    if (a.steps !== undefined && x!.shape[0] !== 1) throw new Error('a neuron with repeated input takes one step [1, M]');
    if (a.charge === 'plif' && (!w || w.shape.length !== 1 || w.shape[0] !== 1)) throw new Error('plif needs w [1]');
    const T = stepsOf(x!.shape, a);
    const M = x!.shape[1]!;
    const step = { shape: [1, M] };
    return [{ shape: [T, M] }, ...(a.save ? Array.from({ length: savedSteps(T, a) }, () => step) : [])];
  },
  emit: (e, io, a) => emitNeuron(e, io.inputs, io.outputs, io.inShapes[0]!, a),
  train: (a) => ({ ...a, save: true }),
  vjp: (b, { inputs: [x, w], outputs: [, ...saved], attrs }, [gs]) => {
    const { save: _save, ...rest } = attrs;
    return b.op('neuron_grad', [gs!, x!, ...(w === undefined ? [] : [w]), ...saved], rest);
  },
};

/**
 * The training form of a LIF with a detached hard reset to 0 saves its keep mask already multiplied by the
 * decay a: the forward's leak a·H·(1 − S) and the backward's carry a·(1 − S)·dH both start from
 * it, one multiply fewer per step each way. Bit-identical: (1 − S) is 0 or 1.
 */
function decayedKeep(a: NeuronAttrs): boolean {
  return a.charge === 'lif' && a.detachReset && a.vReset === 0 && a.postResetDecay === 1;
}

/**
 * What the training form saves, per step [1, M]: the charge H[t] for every step, then for a hard
 * reset the keep mask 1 − S[t] of every step but the last (the forward computes both anyway).
 * Kept per step, not concatenated: the backward walks the steps, so no copy and no split is needed.
 * A decayed-keep LIF saves the surrogate derivative g'(H[t] − θ) in place of H[t]: the backward
 * needs nothing else of H, and the forward computes it while H[t] is still in cache, where the
 * backward would read H back from memory (the step is memory-bound: notes/ort-training.md).
 */
function savedSteps(T: number, a: NeuronAttrs): number {
  return T + (a.vReset === null ? 0 : T - 1);
}

/**
 * The charge rule of spec §1.1 as H = a·V + X' with X' = p·X + q: the decay a and the input gain p
 * (a constant, or sigmoid(w) for plif). The forward also needs X'; the VJP needs only a and p.
 */
interface Charge {
  readonly decay: string;
  /** dX'/dX as a number, or undefined where it is the tensor k (plif with decay_input). */
  readonly gain: number | undefined;
  /** plif: sigmoid(w). */
  readonly k?: string;
}

/** The decay a of an IF or LIF charge (1 − 1/τ; 1 for IF). */
function leakFactor(a: NeuronAttrs): number {
  return a.charge === 'lif' ? 1 - 1 / a.tau : 1;
}

/** The decay is emitted on first use: a neuron whose keep mask carries it never reads it (no unused initializer). */
function emitCoefficients(e: OnnxEmitter, w: string | undefined, a: NeuronAttrs): Charge {
  if (a.charge === 'plif') {
    const k = e.node1('Sigmoid', [w!]);
    let decay: string | undefined;
    return {
      get decay() {
        return (decay ??= e.node1('Sub', [e.scalar(1), k]));
      },
      k,
      gain: a.decayInput ? undefined : 1,
    };
  }
  return {
    get decay() {
      return e.scalar(leakFactor(a));
    },
    gain: a.charge === 'lif' && a.decayInput ? 1 / a.tau : 1,
  };
}

function emitChargeInput(e: OnnxEmitter, x: string, c: Charge, a: NeuronAttrs): string {
  const vr = a.vReset ?? 0;
  if (a.charge === 'plif') {
    if (a.decayInput) return e.node1('Mul', [vr === 0 ? x : e.node1('Add', [x, e.scalar(vr)]), c.k!]);
    return vr === 0 ? x : e.node1('Add', [x, e.node1('Mul', [c.k!, e.scalar(vr)])]);
  }
  if (a.charge === 'lif') {
    const inv = 1 / a.tau;
    if (a.decayInput) return e.node1('Mul', [vr === 0 ? x : e.node1('Add', [x, e.scalar(vr)]), e.scalar(inv)]);
    return vr === 0 ? x : e.node1('Add', [x, e.scalar(vr * inv)]);
  }
  return x;
}

function emitNeuron(e: OnnxEmitter, inputs: readonly string[], outputs: readonly string[], shape: readonly number[], a: NeuronAttrs): void {
  const T = stepsOf(shape, a);
  const M = shape[1]!;
  const vr = a.vReset ?? 0;
  const coefficients = emitCoefficients(e, inputs[1], a);
  // Inference with a power-of-two tau: charge τ·H = a·τ·V + X instead of H = a·V + X/τ, and fire
  // at τ·θ. Scaling by a power of two is exact in floating point, so the spikes are bit-identical
  // and one pass over [T, M] disappears. (Training saves H itself for the VJP: not there.)
  const rescaled = !a.save && a.charge === 'lif' && a.decayInput && (a.vReset ?? 0) === 0 && Number.isInteger(Math.log2(a.tau));
  const xs = rescaled ? inputs[0]! : emitChargeInput(e, inputs[0]!, coefficients, a);
  const repeated = a.steps !== undefined;
  const steps = repeated ? Array.from({ length: T }, () => xs) : T === 1 ? [xs] : e.node('Split', [xs], { axis: 0 }, T);
  const th = e.scalar(rescaled ? a.threshold * a.tau : a.threshold);
  // saved outputs are written in place (an Identity where the value already exists: ORT drops it)
  const saveAs = (value: string | undefined, k: number, make: (out: string) => void): string => {
    if (!a.save) {
      if (value !== undefined) return value;
      const out = e.fresh('v');
      make(out);
      return out;
    }
    const out = outputs[1 + k]!;
    if (value !== undefined) e.nodeTo('Identity', [value], [out]);
    else make(out);
    return out;
  };
  const spikes: string[] = [];
  let v: string | undefined;
  // a.V[t] when the reset step already formed it (decayed keep mask); else a·v at the next step
  let leakNext: string | undefined;
  // inference has no VJP to feed, so the reset's detachment does not matter there
  const keepIsDecayed = a.save === true ? decayedKeep(a) : a.charge === 'lif' && a.vReset === 0 && a.postResetDecay === 1;
  // the training form of a decayed-keep LIF saves g'(H − θ) in place of H (see savedSteps)
  const savesSurrogate = keepIsDecayed && a.save === true;
  for (let t = 0; t < T; t++) {
    const xt = steps[t]!;
    let h: string;
    if (t === 0) {
      // V[-1] = v_reset (hard) or 0 (soft): a special case keeps zero tensors out of the graph
      const shifted = a.vReset !== null && vr !== 0;
      h = savesSurrogate ? xt : saveAs(shifted ? undefined : xt, t, (out) => e.nodeTo('Add', [xt, e.node1('Mul', [e.scalar(vr), coefficients.decay])], [out]));
    } else {
      const leak = leakNext ?? e.node1('Mul', [v!, coefficients.decay]);
      h = savesSurrogate ? e.node1('Add', [leak, xt]) : saveAs(undefined, t, (out) => e.nodeTo('Add', [leak, xt], [out]));
    }
    if (savesSurrogate) {
      const d = surrogate(e, undefined, h, M, a.threshold, a.surrogate);
      e.nodeTo('Identity', [d.value], [outputs[1 + t]!]);
    }
    const fire = e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [h, th]);
    const s = e.node1('Cast', [fire], { to: 1 });
    spikes.push(s);
    if (t === T - 1) break;
    if (keepIsDecayed) {
      // saved as a·(1 − S[t]) = −a·S[t] + a, one pass (exact: S is 0 or 1): the leak is then one
      // multiply, and the VJP's carry is this tensor itself
      const decay = leakFactor(a);
      const keepDecayed = saveAs(undefined, T + t, (out) => affinePass(e, s, M, -decay, decay, out));
      leakNext = e.node1('Mul', [h, keepDecayed]);
      continue;
    }
    if (a.vReset === null) {
      v = e.node1('Sub', [h, e.node1('Mul', [s, th])]);
    } else {
      const keep = saveAs(undefined, T + t, (out) => e.nodeTo('Sub', [e.scalar(1), s], [out]));
      v = e.node1('Mul', [h, keep]);
      if (vr !== 0) v = e.node1('Add', [v, e.node1('Mul', [s, e.scalar(vr)])]);
    }
    if (a.postResetDecay !== 1) v = e.node1('Mul', [v, e.scalar(a.postResetDecay)]);
  }
  if (T === 1) e.nodeTo('Identity', [spikes[0]!], [outputs[0]!]);
  else e.nodeTo('Concat', spikes, [outputs[0]!], { axis: 0 });
}

/**
 * BPTT of the neuron: inputs dL/dS [T, M], the input x (and w for plif), then what the training
 * form saved per step (H[t], and 1 − S[t] for a hard reset); outputs dL/dx (and dL/dw). With
 * dH[t] = dL/dH[t]:
 *
 *   dH[t] = dL/dS[t]·g'(H[t] − θ) + a·dH[t+1]·∂V[t]/∂H[t],   dX = p·dH
 *
 * where ∂V/∂H is (1 − S) for a detached hard reset, 1 for a detached soft reset, and gains the
 * reset path's surrogate term when the reset is not detached. The walk goes step by step on the
 * saved per-step tensors (three ops a step for the recurrence); the surrogate's constant factor
 * rides to the final scale, one pass fewer over [T, M].
 */
export const neuron_grad: Primitive<NeuronAttrs> = {
  shape: ([, x], a) => (a.charge === 'plif' ? [{ shape: x!.shape }, { shape: [1] }] : [{ shape: x!.shape }]),
  emit: (e, io, a) => {
    const plif = a.charge === 'plif';
    const [gs, x] = io.inputs as [string, string];
    const w = plif ? io.inputs[2]! : undefined;
    const T = io.inShapes[0]![0]!;
    const M = io.inShapes[0]![1]!;
    const first = plif ? 3 : 2;
    const h = io.inputs.slice(first, first + T);
    const keep = a.vReset === null ? [] : io.inputs.slice(first + T, first + 2 * T - 1);
    const repeated = io.inShapes[1]![0] === 1 && T > 1;
    const vr = a.vReset ?? 0;
    const charge = emitCoefficients(e, w, a);
    const gsSteps = T === 1 ? [gs] : e.node('Split', [gs], { axis: 0 }, T);
    // C[t] = a·d·∂V[t]/∂H[t]: a scalar, or a per-step tensor
    let adValue: string | undefined;
    const ad = (): string => (adValue ??= a.postResetDecay === 1 ? charge.decay : e.node1('Mul', [charge.decay, e.scalar(a.postResetDecay)]));
    const adIsOne = a.charge !== 'plif' && (a.charge !== 'lif' || a.tau === Infinity) && a.postResetDecay === 1;
    const carry = (t: number): string => {
      if (decayedKeep(a)) return keep[t]!;
      if (a.detachReset) {
        if (a.vReset === null) return ad();
        return adIsOne ? keep[t]! : e.node1('Mul', [keep[t]!, ad()]);
      }
      const full = surrogate(e, undefined, h[t]!, M, a.threshold, a.surrogate);
      const sg = full.factor === 1 ? full.value : e.node1('Mul', [full.value, e.scalar(full.factor)]);
      const dv =
        a.vReset === null
          ? e.node1('Sub', [e.scalar(1), e.node1('Mul', [sg, e.scalar(a.threshold)])])
          : e.node1('Add', [keep[t]!, e.node1('Mul', [e.node1('Sub', [e.scalar(vr), h[t]!]), sg])]);
      return e.node1('Mul', [dv, ad()]);
    };
    // dh[t] holds dL/dH[t] divided by the surrogate's factor
    let factor = 1;
    const dh: string[] = new Array<string>(T);
    for (let t = T - 1; t >= 0; t--) {
      // a decayed-keep LIF saved g'(H[t] − θ)/factor itself in place of H[t]
      const g = decayedKeep(a) ? { value: e.node1('Mul', [gsSteps[t]!, h[t]!]), factor: surrogateFactor(a.surrogate) } : surrogate(e, gsSteps[t]!, h[t]!, M, a.threshold, a.surrogate);
      factor = g.factor;
      dh[t] = t === T - 1 ? g.value : e.node1('Add', [g.value, e.node1('Mul', [carry(t), dh[t + 1]!])]);
    }
    // a repeated input gets the sum over steps; summing as we go skips a [T, M] concat
    const sumDh = repeated ? dh.reduce((acc, d) => e.node1('Add', [acc, d])) : undefined;
    const dhAll = T === 1 ? dh[0]! : !repeated ? e.node1('Concat', dh, { axis: 0 }) : undefined;
    // dX = p·factor·dh in one pass: fold the constants into one scalar
    const gain =
      charge.gain !== undefined
        ? charge.gain * factor === 1
          ? undefined
          : e.scalar(charge.gain * factor)
        : factor === 1
          ? charge.k!
          : e.node1('Mul', [charge.k!, e.scalar(factor)]);
    const src = repeated ? sumDh! : dhAll!;
    if (gain) e.nodeTo('Mul', [src, gain], [io.outputs[0]!]);
    else e.nodeTo('Identity', [src], [io.outputs[0]!]);
    if (plif) emitPlifWeightGrad(e, { dh, sumDh, h, keep, x, factor, k: charge.k!, repeated }, a, io.outputs[1]!);
  },
};

/**
 * dL/dw of PLIF (1/τ = k = sigmoid(w), a = 1 − k): dL/dk = Σ dH·∂X'/∂k − Σ_t dH[t]·V[t−1], with
 * V[t−1] rebuilt from the saved per-step H and keep masks.
 */
function emitPlifWeightGrad(
  e: OnnxEmitter,
  v: { dh: readonly string[]; sumDh: string | undefined; h: readonly string[]; keep: readonly string[]; x: string; factor: number; k: string; repeated: boolean },
  a: NeuronAttrs,
  out: string,
): void {
  const vr = a.vReset ?? 0;
  const T = v.dh.length;
  const sumAll = (t: string) => e.node1('ReduceSum', [t], { keepdims: 0 });
  const total = (parts: string[]) => (parts.length === 1 ? parts[0]! : e.node1('Sum', parts));
  const dhSum = v.sumDh ?? (T === 1 ? v.dh[0]! : v.dh.reduce((acc, d) => e.node1('Add', [acc, d])));
  // input term: X' = k·(X + vr) (decay_input) or X + k·vr
  let inputTerm: string;
  if (a.decayInput) {
    const xv = vr === 0 ? v.x : e.node1('Add', [v.x, e.scalar(vr)]);
    // Σ_t dH[t]·X'[t]: X is [T, M], or one repeated step [1, M] against Σ_t dH[t]
    inputTerm = v.repeated ? sumAll(e.node1('Mul', [dhSum, xv])) : sumAll(e.node1('Mul', [T === 1 ? v.dh[0]! : e.node1('Concat', [...v.dh], { axis: 0 }), xv]));
  } else {
    inputTerm = e.node1('Mul', [sumAll(dhSum), e.scalar(vr)]);
  }
  // leak term Σ_t dH[t]·V[t−1]; V[−1] = vr (hard) or 0 (soft)
  const leakParts: string[] = [];
  for (let t = 1; t < T; t++) {
    const hp = v.h[t - 1]!;
    let vPrev: string;
    if (a.vReset === null) {
      const sp = e.node1('Cast', [e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [hp, e.scalar(a.threshold)])], { to: 1 });
      vPrev = e.node1('Sub', [hp, e.node1('Mul', [sp, e.scalar(a.threshold)])]);
    } else {
      vPrev = e.node1('Mul', [hp, v.keep[t - 1]!]);
      if (vr !== 0) vPrev = e.node1('Add', [vPrev, e.node1('Mul', [e.node1('Sub', [e.scalar(1), v.keep[t - 1]!]), e.scalar(vr)])]);
    }
    if (a.postResetDecay !== 1) vPrev = e.node1('Mul', [vPrev, e.scalar(a.postResetDecay)]);
    leakParts.push(sumAll(e.node1('Mul', [v.dh[t]!, vPrev])));
  }
  if (a.vReset !== null && vr !== 0) leakParts.push(e.node1('Mul', [sumAll(v.dh[0]!), e.scalar(vr)]));
  let dk = leakParts.length > 0 ? e.node1('Sub', [inputTerm, total(leakParts)]) : inputTerm;
  if (v.factor !== 1) dk = e.node1('Mul', [dk, e.scalar(v.factor)]);
  const dw = e.node1('Mul', [dk, e.node1('Mul', [v.k, e.node1('Sub', [e.scalar(1), v.k])])]);
  e.nodeTo('Reshape', [dw, e.ints([1])], [out]);
}

/**
 * g·g'(h − θ) for the surrogate of spec §1.2, returned as `value·factor` with the constant factor
 * (α, α/2, ...) left for the caller to fold into a later scale: one fewer pass over [T, M].
 * Without g, the derivative itself.
 */
function surrogate(e: OnnxEmitter, g: string | undefined, h: string, numel: number, th: number, spec: SurrogateSpec): { value: string; factor: number } {
  /** c·(h − θ) in one pass (none when c = 1 and θ = 0). */
  const affine = (c: number) => {
    if (th === 0) return c === 1 ? h : e.node1('Mul', [h, e.scalar(c)]);
    return c === 1 ? e.node1('Sub', [h, e.scalar(th)]) : affinePass(e, h, numel, c, -c * th);
  };
  const times = (v: string) => (g === undefined ? v : e.node1('Mul', [g, v]));
  switch (spec.name) {
    case 'sigmoid': {
      // α·σ·(1 − σ) with α riding in the affine α − α·σ: no factor left for a later pass
      const sg = e.node1('Sigmoid', [affine(spec.alpha)]);
      return { value: times(e.node1('Mul', [sg, affinePass(e, sg, numel, -spec.alpha, spec.alpha)])), factor: surrogateFactor(spec) };
    }
    case 'atan': {
      const u = affine((Math.PI / 2) * spec.alpha);
      const den = e.node1('Add', [e.node1('Mul', [u, u]), e.scalar(1)]);
      return { value: g === undefined ? e.node1('Reciprocal', [den]) : e.node1('Div', [g, den]), factor: surrogateFactor(spec) };
    }
    case 'piecewise_quadratic': {
      // α − α²|x| = α·(1 − |αx|), clipped at 0
      const tri = e.node1('Relu', [e.node1('Sub', [e.scalar(1), e.node1('Abs', [affine(spec.alpha)])])]);
      return { value: times(tri), factor: surrogateFactor(spec) };
    }
    case 'rectangle': {
      const inside = e.node1('Cast', [e.node1('Less', [e.node1('Abs', [affine(1)]), e.scalar(0.5 / spec.alpha)])], { to: 1 });
      return { value: times(inside), factor: surrogateFactor(spec) };
    }
    case 'piecewise_leaky_relu': {
      const inside = e.node1('Cast', [e.node1('LessOrEqual', [e.node1('Abs', [affine(1)]), e.scalar(spec.w)])], { to: 1 });
      const d = e.node1('Add', [e.node1('Mul', [inside, e.scalar(1 / (2 * spec.w) - spec.c)]), e.scalar(spec.c)]);
      return { value: times(d), factor: surrogateFactor(spec) };
    }
    case 'dspike': {
      // b·(1 − tanh²(b·x)) / (2·tanh(b/2)) on −c < x < 1 − c (spec §8.1 with m = x + c)
      const x = affine(1);
      const t = e.node1('Tanh', [e.node1('Mul', [x, e.scalar(spec.b)])]);
      const window = e.node1('Cast', [e.node1('And', [e.node1('Greater', [x, e.scalar(-spec.c)]), e.node1('Less', [x, e.scalar(1 - spec.c)])])], { to: 1 });
      const d = e.node1('Mul', [e.node1('Sub', [e.scalar(1), e.node1('Mul', [t, t])]), window]);
      return { value: times(d), factor: surrogateFactor(spec) };
    }
  }
}

/** The constant factor `surrogate` leaves out of its value (one place for both to agree on). */
function surrogateFactor(spec: SurrogateSpec): number {
  switch (spec.name) {
    case 'sigmoid':
    case 'piecewise_leaky_relu':
      return 1;
    case 'atan':
      return spec.alpha / 2;
    case 'piecewise_quadratic':
    case 'rectangle':
      return spec.alpha;
    case 'dspike':
      return spec.b / (2 * Math.tanh(spec.b / 2));
  }
}

type HeavisideAttrs = { threshold: number; strict: boolean; surrogate: SurrogateSpec };

/** Θ(x − threshold) forward; the surrogate is used only by the VJP. */
export const heaviside: Primitive<HeavisideAttrs> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => {
    const fire = e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [io.inputs[0]!, e.scalar(a.threshold)]);
    e.nodeTo('Cast', [fire], io.outputs, { to: 1 });
  },
  vjp: (b, { inputs: [x], attrs }, [g]) => [b.op1('surrogate_grad', [g!, x!], { threshold: attrs.threshold, surrogate: attrs.surrogate })],
};

/** g·g'(x − threshold): the surrogate derivative of a Heaviside. */
export const surrogate_grad: Primitive<{ threshold: number; surrogate: SurrogateSpec }> = {
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
  shape: ([x, u]) => {
    if (u && u.shape.join() !== x!.shape.join()) throw new Error('bernoulli: noise must have the shape of x');
    return [{ shape: x!.shape }];
  },
  emit: (e, io, a) => {
    const u = io.inputs[1] ?? e.node1('RandomUniformLike', [io.inputs[0]!], { seed: { float: a.seed }, dtype: 1 });
    e.nodeTo('Cast', [e.node1('Less', [u, io.inputs[0]!])], io.outputs, { to: 1 });
  },
};
