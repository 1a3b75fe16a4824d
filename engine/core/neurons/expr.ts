/**
 * The small expressions a neuron's charge is written in: g(V) over the membrane V, with numbers
 * and a few operators. One expression gives the forward term, its derivative dg/dV for BPTT, and
 * its value at a number (the first step, where V is the initial potential).
 */
import type { OnnxEmitter } from '../onnx/emitter.js';

export type Expr =
  | { readonly op: 'v' }
  | { readonly op: 'num'; readonly value: number }
  | { readonly op: 'add' | 'sub' | 'mul'; readonly a: Expr; readonly b: Expr }
  | { readonly op: 'exp'; readonly a: Expr };

export const V: Expr = { op: 'v' };
export const num = (value: number): Expr => ({ op: 'num', value });
const binary =
  (op: 'add' | 'sub' | 'mul') =>
  (a: Expr | number, b: Expr | number): Expr =>
    fold({ op, a: typeof a === 'number' ? num(a) : a, b: typeof b === 'number' ? num(b) : b });
export const add = binary('add');
export const sub = binary('sub');
export const mul = binary('mul');
export const exp = (a: Expr): Expr => fold({ op: 'exp', a });

/** Numbers combine at once, and x·1, x·0, x + 0 and x − 0 simplify: the emitted graph has no dead ops. */
function fold(e: Expr): Expr {
  if (e.op === 'exp') return e.a.op === 'num' ? num(Math.exp(e.a.value)) : e;
  if (e.op !== 'add' && e.op !== 'sub' && e.op !== 'mul') return e;
  const { a, b } = e;
  if (a.op === 'num' && b.op === 'num') return num(evaluate(e, 0));
  const zero = (x: Expr) => x.op === 'num' && x.value === 0;
  const one = (x: Expr) => x.op === 'num' && x.value === 1;
  if (e.op === 'mul') {
    if (zero(a) || zero(b)) return num(0);
    if (one(a)) return b;
    if (one(b)) return a;
  }
  if (e.op === 'add' && zero(a)) return b;
  if ((e.op === 'add' || e.op === 'sub') && zero(b)) return a;
  return e;
}

export function evaluate(e: Expr, v: number): number {
  switch (e.op) {
    case 'v':
      return v;
    case 'num':
      return e.value;
    case 'add':
      return evaluate(e.a, v) + evaluate(e.b, v);
    case 'sub':
      return evaluate(e.a, v) - evaluate(e.b, v);
    case 'mul':
      return evaluate(e.a, v) * evaluate(e.b, v);
    case 'exp':
      return Math.exp(evaluate(e.a, v));
  }
}

/** dE/dV. */
export function derivative(e: Expr): Expr {
  switch (e.op) {
    case 'v':
      return num(1);
    case 'num':
      return num(0);
    case 'add':
      return add(derivative(e.a), derivative(e.b));
    case 'sub':
      return sub(derivative(e.a), derivative(e.b));
    case 'mul':
      return add(mul(derivative(e.a), e.b), mul(e.a, derivative(e.b)));
    case 'exp':
      return mul(derivative(e.a), e);
  }
}

/** The expression at the tensor `v`: an ONNX value name. */
export function emitExpr(em: OnnxEmitter, e: Expr, v: string): string {
  switch (e.op) {
    case 'v':
      return v;
    case 'num':
      return em.scalar(e.value);
    case 'add':
      return em.node1('Add', [emitExpr(em, e.a, v), emitExpr(em, e.b, v)]);
    case 'sub':
      return em.node1('Sub', [emitExpr(em, e.a, v), emitExpr(em, e.b, v)]);
    case 'mul':
      return em.node1('Mul', [emitExpr(em, e.a, v), emitExpr(em, e.b, v)]);
    case 'exp':
      return em.node1('Exp', [emitExpr(em, e.a, v)]);
  }
}
