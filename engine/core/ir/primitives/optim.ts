/**
 * Optimizer updates as IR rows, so a training step is one ONNX model: each row takes a parameter,
 * its gradient, its state and the step's scalars (learning rate, bias corrections) and returns
 * the new parameter and state, with PyTorch's update order and formulas. Parameters never need
 * gradients of these, so the rows have no VJP.
 */
import type { OnnxEmitter } from '../../onnx/emitter.js';
import type { Primitive } from '../primitive.js';
import { mutated } from '../../mutation.js';

export interface SgdAttrs {
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}

/** torch.optim.SGD (no dampening): inputs p, g, lr[, buf] → p'[, buf']; buf starts at zero, so step 1 sets buf = g as PyTorch does. */
export const sgd_update: Primitive<SgdAttrs> = {
  rowwise: false,
  fires: false,
  shape: ([p], a) => (a.momentum !== 0 ? [{ shape: p!.shape }, { shape: p!.shape }] : [{ shape: p!.shape }]),
  emit: (e, io, a) => {
    const [p, g0, lr, buf] = io.inputs as [string, string, string, string | undefined];
    const g = withL2(e, g0, p, a.weightDecay);
    let d = g;
    if (a.momentum !== 0) {
      e.nodeTo('Add', [e.node1('Mul', [buf!, e.scalar(a.momentum)]), g], [io.outputs[1]!]);
      d = a.nesterov ? e.node1('Add', [g, e.node1('Mul', [io.outputs[1]!, e.scalar(a.momentum)])]) : io.outputs[1]!;
    }
    e.nodeTo('Sub', [p, e.node1('Mul', [d, lr])], [io.outputs[0]!]);
  },
};

export interface AdamAttrs {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW: decay the weights directly (p·(1 − lr·wd)) instead of adding wd·p to the gradient. */
  readonly decoupled: boolean;
}

/** torch.optim.Adam / AdamW: inputs p, g, m, v, lr, bc1 = 1 − β1^t, √bc2 → p', m', v'. */
export const adam_update: Primitive<AdamAttrs> = {
  rowwise: false,
  fires: false,
  shape: ([p]) => [{ shape: p!.shape }, { shape: p!.shape }, { shape: p!.shape }],
  emit: (e, io, a) => {
    const [p0, g0, m, v, lr, bc1, sqrtBc2] = io.inputs as [string, string, string, string, string, string, string];
    const [pOut, mOut, vOut] = io.outputs as [string, string, string];
    const p = a.decoupled && a.weightDecay !== 0 ? e.node1('Mul', [p0, e.node1('Sub', [e.scalar(1), e.node1('Mul', [lr, e.scalar(a.weightDecay)])])]) : p0;
    const g = a.decoupled ? g0 : withL2(e, g0, p0, a.weightDecay);
    moments(e, g, m, v, a, mOut, vOut);
    const denom = e.node1('Add', [e.node1('Div', [e.node1('Sqrt', [vOut]), sqrtBc2]), e.scalar(a.eps)]);
    const stepSize = e.node1('Div', [lr, bc1]);
    if (mutated('adam-skip')) e.nodeTo('Identity', [p0], [pOut]);
    else e.nodeTo('Sub', [p, e.node1('Mul', [e.node1('Div', [mOut, denom]), stepSize])], [pOut]);
  },
};

/**
 * LAMB (You et al. 2020): the Adam direction r = m̂/(√v̂ + ε) + wd·p, scaled per tensor by the
 * trust ratio ‖p‖/‖r‖ (1 where either norm is 0). Inputs p, g, m, v, lr, bc1, bc2 → p', m', v'.
 */
export const lamb_update: Primitive<Omit<AdamAttrs, 'decoupled'>> = {
  rowwise: false,
  fires: false,
  shape: ([p]) => [{ shape: p!.shape }, { shape: p!.shape }, { shape: p!.shape }],
  emit: (e, io, a) => {
    const [p, g, m, v, lr, bc1, bc2] = io.inputs as [string, string, string, string, string, string, string];
    const [pOut, mOut, vOut] = io.outputs as [string, string, string];
    moments(e, g, m, v, a, mOut, vOut);
    const adam = e.node1('Div', [e.node1('Div', [mOut, bc1]), e.node1('Add', [e.node1('Sqrt', [e.node1('Div', [vOut, bc2])]), e.scalar(a.eps)])]);
    const r = a.weightDecay === 0 ? adam : e.node1('Add', [adam, e.node1('Mul', [p, e.scalar(a.weightDecay)])]);
    const norm = (t: string) => e.node1('Sqrt', [e.node1('ReduceSumSquare', [t], { keepdims: 0 })]);
    const pn = norm(p);
    const rn = norm(r);
    const zero = e.scalar(0);
    const usable = e.node1('And', [e.node1('Greater', [pn, zero]), e.node1('Greater', [rn, zero])]);
    // a scalar Where: the trust ratio is one number per tensor
    const trust = e.node1('Where', [usable, e.node1('Div', [pn, e.node1('Max', [rn, e.scalar(1e-30)])]), e.scalar(1)]);
    e.nodeTo('Sub', [p, e.node1('Mul', [r, e.node1('Mul', [trust, lr])])], [pOut]);
  },
};

function withL2(e: OnnxEmitter, g: string, p: string, wd: number): string {
  return wd === 0 ? g : e.node1('Add', [g, e.node1('Mul', [p, e.scalar(wd)])]);
}

function moments(e: OnnxEmitter, g: string, m: string, v: string, a: { beta1: number; beta2: number }, mOut: string, vOut: string): void {
  e.nodeTo('Add', [e.node1('Mul', [m, e.scalar(a.beta1)]), e.node1('Mul', [g, e.scalar(1 - a.beta1)])], [mOut]);
  e.nodeTo('Add', [e.node1('Mul', [v, e.scalar(a.beta2)]), e.node1('Mul', [e.node1('Mul', [g, g]), e.scalar(1 - a.beta2)])], [vOut]);
}

/** 1 − β^step (optionally its square root) from the 1-based step count fed to the graph. */
export const bias_correction: Primitive<{ beta: number; sqrt: boolean }> = {
  rowwise: false,
  fires: false,
  shape: ([step]) => [{ shape: step!.shape }],
  emit: (e, io, a) => {
    const bc = e.node1('Sub', [e.scalar(1), e.node1('Pow', [e.scalar(a.beta), io.inputs[0]!])]);
    e.nodeTo(a.sqrt ? 'Sqrt' : 'Identity', [bc], io.outputs);
  },
};

/**
 * Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_): inputs every gradient →
 * [factor, norm] with factor = min(1, maxNorm/(norm + 1e-6)), by which each gradient is multiplied.
 */
export const clip_factor: Primitive<{ maxNorm: number }> = {
  rowwise: false,
  fires: false,
  shape: () => [{ shape: [] }, { shape: [] }],
  emit: (e, io, a) => {
    const squares = io.inputs.map((g) => e.node1('ReduceSumSquare', [g], { keepdims: 0 }));
    const total = squares.length === 1 ? squares[0]! : e.node1('Sum', squares);
    e.nodeTo('Sqrt', [total], [io.outputs[1]!]);
    const coef = e.node1('Div', [e.scalar(a.maxNorm), e.node1('Add', [io.outputs[1]!, e.scalar(1e-6)])]);
    e.nodeTo('Min', [coef, e.scalar(1)], [io.outputs[0]!]);
  },
};
