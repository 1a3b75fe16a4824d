/**
 * The sink that primitive emissions write ONNX nodes into. Fresh names come from one counter, small
 * constants become initializers (never giant zero tensors: zero buffers are ConstantOfShape).
 */
import type { OnnxAttribute, OnnxNode, OnnxTensor } from './model.js';

export type AttrInput = number | string | readonly number[] | { readonly floats: readonly number[] } | { readonly float: number };

export class OnnxEmitter {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private counter = 0;
  private readonly constCache = new Map<string, string>();

  constructor(private readonly prefix = '') {}

  fresh(hint: string): string {
    return `${this.prefix}${hint}_${this.counter++}`;
  }

  /** Adds a node writing to the given outputs. */
  nodeTo(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, AttrInput | OnnxAttribute> = {}): void {
    this.nodes.push({ opType, inputs, outputs, attributes: toAttributes(attrs), name: `${opType}_${this.nodes.length}` });
  }

  /** Adds a node with fresh outputs and returns them. */
  node(opType: string, inputs: readonly string[], attrs: Record<string, AttrInput | OnnxAttribute> = {}, outputs = 1): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()));
    this.nodeTo(opType, inputs, outs, attrs);
    return outs;
  }

  node1(opType: string, inputs: readonly string[], attrs: Record<string, AttrInput | OnnxAttribute> = {}): string {
    return this.node(opType, inputs, attrs)[0]!;
  }

  /** An int64 constant (shapes, axes, slice bounds), shared between uses. */
  ints(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.cached(`i:${dims.join('x')}:${values.join(',')}`, () => ({
      dims,
      dataType: 'int64',
      data: BigInt64Array.from(values.map((v) => BigInt(v))),
    }));
  }

  /** A float32 constant, shared between uses; scalars have dims []. */
  floats(values: readonly number[], dims: readonly number[] = []): string {
    return this.cached(`f:${dims.join('x')}:${values.join(',')}`, () => ({
      dims,
      dataType: 'float32',
      data: Float32Array.from(values),
    }));
  }

  scalar(x: number): string {
    return this.floats([x], []);
  }

  initializer(tensor: OnnxTensor): void {
    this.initializers.push(tensor);
  }

  /** A float zero tensor of a static shape, built at run time (ConstantOfShape) rather than stored. */
  zeros(dims: readonly number[]): string {
    return this.node1('ConstantOfShape', [this.ints(dims)], {
      value: { type: 'tensor', value: { name: 'value', dims: [1], dataType: 'float32', data: new Float32Array(1) } },
    });
  }

  reshape(x: string, dims: readonly number[]): string {
    return this.node1('Reshape', [x, this.ints(dims)]);
  }

  private cached(key: string, make: () => Omit<OnnxTensor, 'name'>): string {
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = this.fresh('const');
    this.initializers.push({ name, ...make() });
    this.constCache.set(key, name);
    return name;
  }
}

function toAttributes(attrs: Record<string, AttrInput | OnnxAttribute>): Record<string, OnnxAttribute> {
  const out: Record<string, OnnxAttribute> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'number') out[k] = { type: 'int', value: v };
    else if (typeof v === 'string') out[k] = { type: 'string', value: v };
    else if (Array.isArray(v)) out[k] = { type: 'ints', value: v };
    else if ('floats' in (v as object)) out[k] = { type: 'floats', value: (v as { floats: number[] }).floats };
    else if ('float' in (v as object)) out[k] = { type: 'float', value: (v as { float: number }).float };
    else out[k] = v as OnnxAttribute;
  }
  return out;
}
