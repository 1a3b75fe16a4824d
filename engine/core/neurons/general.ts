/**
 * The emission of a row with a drive g(V) or an adaptive threshold: H = V + κ·(X + g(V)) step by
 * step, g an expression (expr.ts) whose derivative ∂H[t]/∂V[t−1] the forward saves for BPTT.
 */
import type { OnnxEmitter } from '../onnx/emitter.js';
import { add, derivative, emitExpr, evaluate, mul, sub, V, type Expr } from './expr.js';
import { splitSteps, stackSteps, type StackSteps, type UnstackSteps } from './affine.js';
import { surrogate } from './surrogate.js';
import { stepsOf, type ChargeRule, type NeuronAttrs } from './types.js';

/** H as a function of V (the input term X' added apart): V + κ·g(V), g the drive or the leak toward V_reset. */
function chargeOfV(a: NeuronAttrs, row: ChargeRule): Expr {
  if (row.rate === 'learned') throw new Error(`neuron "${row.id}": a learned rate needs an affine charge`);
  const kappa = row.rate === 'tau' ? 1 / a.tau : 0;
  const drive = row.drive ? row.drive(a) : sub(a.vReset ?? 0, V);
  return add(V, mul(kappa, drive));
}

/** dX'/dX: κ with decay_input, else 1. */
function inputGain(a: NeuronAttrs, row: ChargeRule): number {
  return row.rate === 'tau' && a.decayInput ? 1 / a.tau : 1;
}

/** Where each saved per-step tensor sits among the training form's extra outputs. */
function savedLayout(T: number, a: NeuronAttrs, row: ChargeRule) {
  const jacobian = derivative(chargeOfV(a, row));
  const keep0 = T;
  const jac0 = keep0 + (a.vReset === null ? 0 : T - 1);
  const adapt0 = jac0 + (jacobian.op === 'num' ? 0 : T - 1);
  return {
    /** ∂H[t]/∂V[t−1]: a number where the charge is affine in V, else saved for t ≥ 1. */
    jacobian,
    h: (t: number) => t,
    keep: (t: number) => keep0 + t,
    jac: (t: number) => jac0 + t - 1,
    adapt: (t: number) => adapt0 + t - 1,
    count: adapt0 + (row.adaptation ? T - 1 : 0),
  };
}

export function generalSavedSteps(T: number, a: NeuronAttrs, row: ChargeRule): number {
  return savedLayout(T, a, row).count;
}

export function emitGeneralNeuron(
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
  const hard = a.vReset !== null;
  const vr = a.vReset ?? 0;
  const charge = chargeOfV(a, row);
  const L = savedLayout(T, a, row);
  const adapt = row.adaptation?.(a);
  const gain = inputGain(a, row);
  const xs = gain === 1 ? inputs[0]! : e.node1('Mul', [inputs[0]!, e.scalar(gain)]);
  const steps = a.steps !== undefined ? Array.from({ length: T }, () => xs) : T === 1 ? [xs] : e.node('Split', [xs], { axis: 0 }, T);
  const save = (k: number, value: string): void => {
    if (a.save) e.nodeTo('Identity', [value], [outputs[1 + k]!]);
  };
  const spikes: string[] = [];
  const charges: string[] = [];
  const thresholds: string[] = [];
  // V[t−1] (undefined at t = 0, where it is v_reset or 0) and the threshold's rise A[t] (undefined: 0)
  let v: string | undefined;
  let rise: string | undefined;
  for (let t = 0; t < T; t++) {
    let h: string;
    if (v === undefined) {
      const c = evaluate(charge, hard ? vr : 0);
      h = c === 0 ? steps[t]! : e.node1('Add', [steps[t]!, e.scalar(c)]);
    } else {
      h = e.node1('Add', [emitExpr(e, charge, v), steps[t]!]);
      if (a.save && L.jacobian.op !== 'num') save(L.jac(t), emitExpr(e, L.jacobian, v));
    }
    save(L.h(t), h);
    charges.push(h);
    if (a.membrane && adapt) thresholds.push(rise === undefined ? e.node1('Expand', [e.scalar(a.threshold), e.ints([1, M])]) : e.node1('Add', [rise, e.scalar(a.threshold)]));
    // H ≥ θ + A as H − A ≥ θ: the comparison keeps its scalar threshold, as every other neuron's does
    const s = e.node1('Cast', [e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [rise === undefined ? h : e.node1('Sub', [h, rise]), e.scalar(a.threshold)])], { to: 1 });
    spikes.push(s);
    if (t === T - 1) break;
    if (hard) {
      const keep = e.node1('Sub', [e.scalar(1), s]);
      save(L.keep(t), keep);
      v = e.node1('Mul', [h, keep]);
      if (vr !== 0) v = e.node1('Add', [v, e.node1('Mul', [s, e.scalar(vr)])]);
    } else {
      const th = rise === undefined ? e.scalar(a.threshold) : e.node1('Add', [rise, e.scalar(a.threshold)]);
      v = e.node1('Sub', [h, e.node1('Mul', [s, th])]);
    }
    if (a.postResetDecay !== 1) v = e.node1('Mul', [v, e.scalar(a.postResetDecay)]);
    if (adapt) {
      const up = e.node1('Mul', [s, e.scalar(adapt.beta)]);
      rise = rise === undefined ? up : e.node1('Add', [e.node1('Mul', [rise, e.scalar(adapt.decay)]), up]);
      save(L.adapt(t + 1), rise);
    }
  }
  stackSpikes(e, spikes, outputs[0]!);
  if (a.membrane) stackSteps(e, charges, outputs[1]!);
  if (a.membrane && adapt) stackSteps(e, thresholds, outputs[2]!);
}

/**
 * BPTT of a row with a drive or an adaptive threshold θ[t] = θ + A[t], A[t+1] = ρ·A[t] + β·S[t]
 * (A[0] = 0). Going back from the last step, with dV[t] = d·dH[t+1]·∂H[t+1]/∂V[t] (d the
 * post-reset decay) and g'[t] = g'(H[t] − θ[t]):
 *
 *   dS[t] = dL/dS[t] + (reset not detached) (dV[t]·∂V[t]/∂S[t] + β·dA[t+1])
 *   dH[t] = dS[t]·g'[t] + dV[t]·∂V[t]/∂H[t]
 *   dA[t] = −dS[t]·g'[t] + ρ·dA[t+1] − (soft reset) dV[t]·S[t]
 *
 * so a detached reset detaches the spike from both states it feeds back into. dX = p·dH.
 */
export function emitGeneralGrad(
  e: OnnxEmitter,
  inputs: readonly string[],
  outputs: readonly string[],
  inShapes: readonly (readonly number[])[],
  a: NeuronAttrs,
  row: ChargeRule,
  unstack: UnstackSteps = splitSteps,
): void {
  const [gs] = inputs as [string, string];
  const T = inShapes[0]![0]!;
  const M = inShapes[0]![1]!;
  const saved = inputs.slice(2);
  const L = savedLayout(T, a, row);
  const adapt = row.adaptation?.(a);
  const hard = a.vReset !== null;
  const vr = a.vReset ?? 0;
  const repeated = inShapes[1]![0] === 1 && T > 1;
  const gsSteps = unstack(e, gs, T);
  const h = (t: number) => saved[L.h(t)]!;
  const jac = (t: number) => (L.jacobian.op === 'num' ? e.scalar(L.jacobian.value) : saved[L.jac(t)]!);
  const theta = (t: number) => (adapt && t > 0 ? e.node1('Add', [saved[L.adapt(t)]!, e.scalar(a.threshold)]) : e.scalar(a.threshold));
  const surrogateAt = (t: number): string => {
    const d = adapt && t > 0 ? surrogate(e, undefined, e.node1('Sub', [h(t), theta(t)]), M, 0, a.surrogate) : surrogate(e, undefined, h(t), M, a.threshold, a.surrogate);
    return d.factor === 1 ? d.value : e.node1('Mul', [d.value, e.scalar(d.factor)]);
  };
  const dh: string[] = new Array<string>(T);
  let dRise: string | undefined;
  for (let t = T - 1; t >= 0; t--) {
    let dv: string | undefined = t === T - 1 ? undefined : e.node1('Mul', [dh[t + 1]!, jac(t + 1)]);
    if (dv !== undefined && a.postResetDecay !== 1) dv = e.node1('Mul', [dv, e.scalar(a.postResetDecay)]);
    let ds = gsSteps[t]!;
    if (!a.detachReset) {
      if (dv !== undefined) {
        ds = hard ? e.node1('Add', [ds, e.node1('Mul', [dv, e.node1('Sub', [e.scalar(vr), h(t)])])]) : e.node1('Sub', [ds, e.node1('Mul', [dv, theta(t)])]);
      }
      if (adapt && dRise !== undefined) ds = e.node1('Add', [ds, e.node1('Mul', [dRise, e.scalar(adapt.beta)])]);
    }
    const dsg = e.node1('Mul', [ds, surrogateAt(t)]);
    dh[t] = dv === undefined ? dsg : e.node1('Add', [dsg, hard ? e.node1('Mul', [dv, saved[L.keep(t)]!]) : dv]);
    if (adapt && t > 0) {
      let dA = dRise === undefined ? e.node1('Neg', [dsg]) : e.node1('Sub', [e.node1('Mul', [dRise, e.scalar(adapt.decay)]), dsg]);
      if (!hard && dv !== undefined) {
        const s = e.node1('Cast', [e.node1(a.strict ? 'Greater' : 'GreaterOrEqual', [h(t), theta(t)])], { to: 1 });
        dA = e.node1('Sub', [dA, e.node1('Mul', [dv, s])]);
      }
      dRise = dA;
    }
  }
  const src = repeated ? dh.reduce((acc, d) => e.node1('Add', [acc, d])) : T === 1 ? dh[0]! : e.node1('Concat', dh, { axis: 0 });
  const gain = inputGain(a, row);
  if (gain === 1) e.nodeTo('Identity', [src], [outputs[0]!]);
  else e.nodeTo('Mul', [src, e.scalar(gain)], [outputs[0]!]);
}
