/** Elementwise primitives (numpy broadcasting). */
import { broadcastShapes, type Primitive } from '../primitive.js';

function binary(opType: string): Primitive<Record<string, never>> {
  return {
    shape: ([a, b]) => [{ shape: broadcastShapes(a!.shape, b!.shape) }],
    emit: (e, io) => e.nodeTo(opType, io.inputs, io.outputs),
  };
}

function unary(opType: string): Primitive<Record<string, never>> {
  return {
    shape: ([x]) => [{ shape: x!.shape }],
    emit: (e, io) => e.nodeTo(opType, io.inputs, io.outputs),
  };
}

export const add = binary('Add');
export const sub = binary('Sub');
export const mul = binary('Mul');
export const div = binary('Div');
export const relu = unary('Relu');
export const sigmoid = unary('Sigmoid');
export const tanh = unary('Tanh');
export const neg = unary('Neg');
export const identity = unary('Identity');

/** x · factor, with the factor an attribute so it folds into one Mul by a shared scalar constant. */
export const scale: Primitive<{ factor: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('Mul', [io.inputs[0]!, e.scalar(a.factor)], io.outputs),
};

/** x + c for a constant c. */
export const shift: Primitive<{ offset: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('Add', [io.inputs[0]!, e.scalar(a.offset)], io.outputs),
};

/** GELU (exact, erf form) written with opset-17 ops: 0.5·x·(1 + erf(x/√2)). */
export const gelu: Primitive<Record<string, never>> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io) => {
    const x = io.inputs[0]!;
    const erf = e.node1('Erf', [e.node1('Mul', [x, e.scalar(Math.SQRT1_2)])]);
    const onePlus = e.node1('Add', [erf, e.scalar(1)]);
    const half = e.node1('Mul', [x, e.scalar(0.5)]);
    e.nodeTo('Mul', [half, onePlus], io.outputs);
  },
};

/** Training-time dropout (inverted scaling), seeded; inference graphs never contain it. */
export const dropout: Primitive<{ ratio: number; seed: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('Dropout', [io.inputs[0]!, e.scalar(a.ratio), e.node1('Constant', [], { value: { type: 'tensor', value: { name: 'v', dims: [], dataType: 'bool', data: Uint8Array.of(1) } } })], io.outputs, { seed: a.seed }),
};
