/** Elementwise primitives (numpy broadcasting). */
import { broadcastShapes, type Primitive, type VjpRule } from '../primitive.js';
import { sumTo } from '../vjp.js';

type NoAttrs = Record<string, never>;

function binary(opType: string, vjp: VjpRule<NoAttrs>): Primitive<NoAttrs> {
  return {
    shape: ([a, b]) => [{ shape: broadcastShapes(a!.shape, b!.shape) }],
    emit: (e, io) => e.nodeTo(opType, io.inputs, io.outputs),
    vjp,
    rowwise: true,
    fires: false,
  };
}

function unary(opType: string, vjp: VjpRule<NoAttrs>): Primitive<NoAttrs> {
  return {
    shape: ([x]) => [{ shape: x!.shape }],
    emit: (e, io) => e.nodeTo(opType, io.inputs, io.outputs),
    vjp,
    rowwise: true,
    fires: false,
  };
}

export const add = binary('Add', (b, { inputs: [x, y] }, [g]) => [sumTo(b, g!, b.shape(x!)), sumTo(b, g!, b.shape(y!))]);
export const sub = binary('Sub', (b, { inputs: [x, y] }, [g]) => [sumTo(b, g!, b.shape(x!)), sumTo(b, b.op1('neg', [g!]), b.shape(y!))]);
export const mul = binary('Mul', (b, { inputs: [x, y] }, [g]) => [
  sumTo(b, b.op1('mul', [g!, y!]), b.shape(x!)),
  sumTo(b, b.op1('mul', [g!, x!]), b.shape(y!)),
]);
/** d(x/y)/dy = −(x/y)/y: reuses the output instead of squaring y. */
export const div = binary('Div', (b, { inputs: [x, y], outputs: [q] }, [g]) => [
  sumTo(b, b.op1('div', [g!, y!]), b.shape(x!)),
  sumTo(b, b.op1('neg', [b.op1('div', [b.op1('mul', [g!, q!]), y!])]), b.shape(y!)),
]);

/** The step mask of ReLU is a Heaviside of the output (strictly positive), with no surrogate use. */
export const relu = unary('Relu', (b, { outputs: [y] }, [g]) => [
  b.op1('mul', [g!, b.op1('heaviside', [y!], { threshold: 0, strict: true, surrogate: { name: 'sigmoid', alpha: 4 } })]),
]);
export const sigmoid = unary('Sigmoid', (b, { outputs: [y] }, [g]) => [b.op1('mul', [g!, b.op1('mul', [y!, b.op1('shift', [b.op1('neg', [y!])], { offset: 1 })])])]);
export const tanh = unary('Tanh', (b, { outputs: [y] }, [g]) => [b.op1('mul', [g!, b.op1('shift', [b.op1('neg', [b.op1('mul', [y!, y!])])], { offset: 1 })])]);
export const exp = unary('Exp', (b, { outputs: [y] }, [g]) => [b.op1('mul', [g!, y!])]);
export const neg = unary('Neg', (b, _n, [g]) => [b.op1('neg', [g!])]);
export const identity = unary('Identity', (_b, _n, [g]) => [g]);

/** x · factor, with the factor an attribute so it folds into one Mul by a shared scalar constant. */
export const scale: Primitive<{ factor: number }> = {
  rowwise: true,
  fires: false,
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('Mul', [io.inputs[0]!, e.scalar(a.factor)], io.outputs),
  vjp: (b, { attrs }, [g]) => [b.op1('scale', [g!], { factor: attrs.factor })],
};

/** x + c for a constant c. */
export const shift: Primitive<{ offset: number }> = {
  rowwise: true,
  fires: false,
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('Add', [io.inputs[0]!, e.scalar(a.offset)], io.outputs),
  vjp: (_b, _n, [g]) => [g],
};

/** GELU (exact, erf form) written with opset-17 ops: 0.5·x·(1 + erf(x/√2)). */
export const gelu: Primitive<NoAttrs> = {
  rowwise: true,
  fires: false,
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io) => {
    const x = io.inputs[0]!;
    const erf = e.node1('Erf', [e.node1('Mul', [x, e.scalar(Math.SQRT1_2)])]);
    const onePlus = e.node1('Add', [erf, e.scalar(1)]);
    const half = e.node1('Mul', [x, e.scalar(0.5)]);
    e.nodeTo('Mul', [half, onePlus], io.outputs);
  },
  vjp: (b, { inputs: [x] }, [g]) => [b.op1('gelu_grad', [g!, x!])],
};

/** Backward of GELU: g·(Φ(x) + x·φ(x)) with Φ the normal CDF and φ its density. */
export const gelu_grad: Primitive<NoAttrs> = {
  rowwise: false,
  fires: false,
  shape: ([g]) => [{ shape: g!.shape }],
  emit: (e, io) => {
    const [g, x] = io.inputs as [string, string];
    const cdf = e.node1('Mul', [e.node1('Add', [e.node1('Erf', [e.node1('Mul', [x, e.scalar(Math.SQRT1_2)])]), e.scalar(1)]), e.scalar(0.5)]);
    const pdf = e.node1('Mul', [e.node1('Exp', [e.node1('Mul', [e.node1('Mul', [x, x]), e.scalar(-0.5)])]), e.scalar(1 / Math.sqrt(2 * Math.PI))]);
    e.nodeTo('Mul', [g, e.node1('Add', [cdf, e.node1('Mul', [x, pdf])])], io.outputs);
  },
};

/**
 * Training-time dropout (inverted scaling) of x against u, uniform noise the host drew for this
 * step: an element survives where u ≥ ratio. Inference graphs never contain it. The training form
 * also outputs the float keep mask, which the VJP multiplies with.
 */
export const dropout: Primitive<{ ratio: number; save?: boolean }> = {
  rowwise: false,
  fires: false,
  shape: ([x, u], a) => {
    if (!u || u.shape.join() !== x!.shape.join()) throw new Error('dropout: noise must have the shape of x');
    return a.save ? [{ shape: x!.shape }, { shape: x!.shape }] : [{ shape: x!.shape }];
  },
  emit: (e, io, a) => {
    const mask = a.save ? io.outputs[1]! : e.fresh('dropout_mask');
    e.nodeTo('Cast', [e.node1('GreaterOrEqual', [io.inputs[1]!, e.scalar(a.ratio)])], [mask], { to: 1 });
    e.nodeTo('Mul', [e.node1('Mul', [io.inputs[0]!, mask]), e.scalar(1 / (1 - a.ratio))], [io.outputs[0]!]);
  },
  train: (a) => ({ ...a, save: true }),
  vjp: (b, { outputs: [, mask], attrs }, [g]) => [b.op1('scale', [b.op1('mul', [g!, mask!])], { factor: 1 / (1 - attrs.ratio) }), undefined],
};
