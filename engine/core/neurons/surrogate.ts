/**
 * The surrogate derivatives of spec §1.2 as ONNX, shared by the neuron's BPTT and the Heaviside's
 * VJP, and the one-pass affine map they (and the neuron's keep mask) use.
 */
import type { OnnxEmitter } from '../onnx/emitter.js';
import type { SurrogateSpec } from './types.js';

/**
 * g·g'(h − θ) for the surrogate of spec §1.2, returned as `value·factor` with the constant factor
 * (α, α/2, ...) left for the caller to fold into a later scale: one fewer pass over [T, M].
 * Without g, the derivative itself.
 */
export function surrogate(e: OnnxEmitter, g: string | undefined, h: string, numel: number, th: number, spec: SurrogateSpec): { value: string; factor: number } {
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
export function surrogateFactor(spec: SurrogateSpec): number {
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

/**
 * x·scale + bias (numbers) over a tensor of `numel` elements in ONE pass: BatchNormalization with
 * one channel, mean 0, variance 1 and ε 0 on the [1, 1, numel] view. ORT does not fuse a Mul and
 * an Add; this runs at the cost of one of them (0.35 vs 0.71 ms on 1.6M floats, measured). The
 * result comes back in the [1, numel] view, written to `out` when given.
 */
export function affinePass(e: OnnxEmitter, x: string, numel: number, scale: number, bias: number, out?: string): string {
  const one = (v: number) => e.floats([v], [1]);
  const y = e.node1('BatchNormalization', [e.reshape(x, [1, 1, numel]), one(scale), one(bias), one(0), one(1)], { epsilon: { float: 0 } });
  if (out === undefined) return e.reshape(y, [1, numel]);
  e.nodeTo('Reshape', [y, e.ints([1, numel])], [out]);
  return out;
}
