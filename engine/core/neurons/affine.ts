/**
 * The emission of an affine row (no drive, no second state): H[t] = a·V[t−1] + X'[t] with
 * X' = p·X + q computed once for all T, two elementwise ops a step for the charge, float
 * keep-masks for the reset (never Where: notes/ort-training.md), and the tricks the row allows.
 */
import type { OnnxEmitter } from '../onnx/emitter.js';
import { affinePass, surrogate, surrogateFactor } from './surrogate.js';
import { stepsOf, type ChargeRule, type NeuronAttrs } from './types.js';

/**
 * The training form of a LIF with a detached hard reset to 0 saves its keep mask already multiplied by the
 * decay a: the forward's leak a·H·(1 − S) and the backward's carry a·(1 − S)·dH both start from
 * it, one multiply fewer per step each way. Bit-identical: (1 − S) is 0 or 1.
 */
function decayedKeep(a: NeuronAttrs, row: ChargeRule): boolean {
  return row.tricks.decayedKeep && a.detachReset && a.vReset === 0 && a.postResetDecay === 1;
}

/**
 * The charge rule of spec §1.1 as H = a·V + X' with X' = p·X + q: the decay a and the input gain p
 * (a constant, or sigmoid(w) for a learned rate). The forward also needs X'; the VJP needs only a and p.
 */
interface Charge {
  readonly decay: string;
  /** dX'/dX as a number, or undefined where it is the tensor k (a learned rate with decay_input). */
  readonly gain: number | undefined;
  /** A learned rate: sigmoid(w). */
  readonly k?: string;
}

/** The decay a = 1 − κ of a constant rate (1 − 1/τ; 1 without leak). */
function leakFactor(a: NeuronAttrs, row: ChargeRule): number {
  return row.rate === 'tau' ? 1 - 1 / a.tau : 1;
}

/** The decay is emitted on first use: a neuron whose keep mask carries it never reads it (no unused initializer). */
function emitCoefficients(e: OnnxEmitter, w: string | undefined, a: NeuronAttrs, row: ChargeRule): Charge {
  if (row.rate === 'learned') {
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
      return e.scalar(leakFactor(a, row));
    },
    gain: row.rate === 'tau' && a.decayInput ? 1 / a.tau : 1,
  };
}

function emitChargeInput(e: OnnxEmitter, x: string, c: Charge, a: NeuronAttrs, row: ChargeRule): string {
  const vr = a.vReset ?? 0;
  if (row.rate === 'learned') {
    if (a.decayInput) return e.node1('Mul', [vr === 0 ? x : e.node1('Add', [x, e.scalar(vr)]), c.k!]);
    return vr === 0 ? x : e.node1('Add', [x, e.node1('Mul', [c.k!, e.scalar(vr)])]);
  }
  if (row.rate === 'tau') {
    const inv = 1 / a.tau;
    if (a.decayInput) return e.node1('Mul', [vr === 0 ? x : e.node1('Add', [x, e.scalar(vr)]), e.scalar(inv)]);
    return vr === 0 ? x : e.node1('Add', [x, e.scalar(vr * inv)]);
  }
  return x;
}

export function emitAffineNeuron(
  e: OnnxEmitter,
  inputs: readonly string[],
  outputs: readonly string[],
  shape: readonly number[],
  a: NeuronAttrs,
  row: ChargeRule,
  stackSpikes: StackSteps = stackSteps,
): void {
  const T = stepsOf(shape, a);
  const M = shape[1]!;
  const vr = a.vReset ?? 0;
  const coefficients = emitCoefficients(e, inputs[1], a, row);
  // Inference with a power-of-two tau: charge τ·H = a·τ·V + X instead of H = a·V + X/τ, and fire
  // at τ·θ. Scaling by a power of two is exact in floating point, so the spikes are bit-identical
  // and one pass over [T, M] disappears. (Training saves H itself for the VJP: not there.)
  // (The profile form outputs H itself: not there either.)
  const rescaled = !a.save && !a.membrane && row.tricks.rescaledThreshold && a.decayInput && (a.vReset ?? 0) === 0 && Number.isInteger(Math.log2(a.tau));
  const xs = rescaled ? inputs[0]! : emitChargeInput(e, inputs[0]!, coefficients, a, row);
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
  const charges: string[] = [];
  let v: string | undefined;
  // a.V[t] when the reset step already formed it (decayed keep mask); else a·v at the next step
  let leakNext: string | undefined;
  // inference has no VJP to feed, so the reset's detachment does not matter there
  const keepIsDecayed = a.save === true ? decayedKeep(a, row) : row.tricks.decayedKeep && a.vReset === 0 && a.postResetDecay === 1;
  // the training form of a decayed-keep row saves g'(H − θ) in place of H (see savedSteps)
  const savesSurrogate = keepIsDecayed && a.save === true && row.tricks.savedSurrogate;
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
    charges.push(h);
    const fire = e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [h, th]);
    const s = e.node1('Cast', [fire], { to: 1 });
    spikes.push(s);
    if (t === T - 1) break;
    if (keepIsDecayed) {
      // saved as a·(1 − S[t]) = −a·S[t] + a, one pass (exact: S is 0 or 1): the leak is then one
      // multiply, and the VJP's carry is this tensor itself
      const decay = leakFactor(a, row);
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
  stackSpikes(e, spikes, outputs[0]!);
  if (a.membrane) stackSteps(e, charges, outputs[1]!);
}

/** Writes per-step tensors to one output. */
export type StackSteps = (e: OnnxEmitter, steps: readonly string[], out: string) => void;

/** Reads a stacked gradient dL/dS as T per-step tensors [1, M]. */
export type UnstackSteps = (e: OnnxEmitter, stacked: string, T: number) => string[];

/** A [T, M] tensor as T steps [1, M]. */
export function splitSteps(e: OnnxEmitter, stacked: string, T: number): string[] {
  return T === 1 ? [stacked] : e.node('Split', [stacked], { axis: 0 }, T);
}

/** Per-step [1, M] tensors as one [T, M] output. */
export function stackSteps(e: OnnxEmitter, steps: readonly string[], out: string): void {
  if (steps.length === 1) e.nodeTo('Identity', [steps[0]!], [out]);
  else e.nodeTo('Concat', steps, [out], { axis: 0 });
}

/**
 * BPTT of an affine row: inputs dL/dS [T, M], the input x (and w for a learned rate), then what
 * the training form saved per step (H[t], and 1 − S[t] for a hard reset); outputs dL/dx (and
 * dL/dw). With dH[t] = dL/dH[t]:
 *
 *   dH[t] = dL/dS[t]·g'(H[t] − θ) + a·dH[t+1]·∂V[t]/∂H[t],   dX = p·dH
 *
 * where ∂V/∂H is (1 − S) for a detached hard reset, 1 for a detached soft reset, and gains the
 * reset path's surrogate term when the reset is not detached. The walk goes step by step on the
 * saved per-step tensors (three ops a step for the recurrence); the surrogate's constant factor
 * rides to the final scale, one pass fewer over [T, M].
 */
export function emitAffineGrad(
  e: OnnxEmitter,
  inputs: readonly string[],
  outputs: readonly string[],
  inShapes: readonly (readonly number[])[],
  a: NeuronAttrs,
  row: ChargeRule,
  unstack: UnstackSteps = splitSteps,
): void {
  const learned = row.rate === 'learned';
  const [gs, x] = inputs as [string, string];
  const w = learned ? inputs[2]! : undefined;
  const T = inShapes[0]![0]!;
  const M = inShapes[0]![1]!;
  const first = learned ? 3 : 2;
  const h = inputs.slice(first, first + T);
  const keep = a.vReset === null ? [] : inputs.slice(first + T, first + 2 * T - 1);
  const repeated = inShapes[1]![0] === 1 && T > 1;
  const vr = a.vReset ?? 0;
  const charge = emitCoefficients(e, w, a, row);
  const gsSteps = unstack(e, gs, T);
  const savedSurrogate = decayedKeep(a, row) && row.tricks.savedSurrogate;
  // C[t] = a·d·∂V[t]/∂H[t]: a scalar, or a per-step tensor
  let adValue: string | undefined;
  const ad = (): string => (adValue ??= a.postResetDecay === 1 ? charge.decay : e.node1('Mul', [charge.decay, e.scalar(a.postResetDecay)]));
  const adIsOne = !learned && leakFactor(a, row) === 1 && a.postResetDecay === 1;
  const carry = (t: number): string => {
    if (decayedKeep(a, row)) return keep[t]!;
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
    // a saved-surrogate row saved g'(H[t] − θ)/factor itself in place of H[t]
    const g = savedSurrogate ? { value: e.node1('Mul', [gsSteps[t]!, h[t]!]), factor: surrogateFactor(a.surrogate) } : surrogate(e, gsSteps[t]!, h[t]!, M, a.threshold, a.surrogate);
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
  if (gain) e.nodeTo('Mul', [src, gain], [outputs[0]!]);
  else e.nodeTo('Identity', [src], [outputs[0]!]);
  if (learned) emitLearnedRateGrad(e, { dh, sumDh, h, keep, x, factor, k: charge.k!, repeated }, a, outputs[1]!);
}

/**
 * dL/dw of a learned rate (κ = k = sigmoid(w), a = 1 − k): dL/dk = Σ dH·∂X'/∂k − Σ_t dH[t]·V[t−1],
 * with V[t−1] rebuilt from the saved per-step H and keep masks.
 */
function emitLearnedRateGrad(
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
