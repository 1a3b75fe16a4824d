/**
 * Builds an IR graph op by op. Shapes are computed at once by the primitive's shape rule, so a
 * lowering bug surfaces where it is made, not at ONNX Runtime load time.
 */
import { primitive } from './primitives/index.js';
import type { DType, InitSpec, IrConstant, IrGraph, IrNode, IrParam, IrValue, ParamRole } from './types.js';

export class IrBuilder {
  private readonly values: IrValue[] = [];
  private readonly nodes: IrNode[] = [];
  private readonly params: IrParam[] = [];
  private readonly constants: IrConstant[] = [];
  private readonly inputs: { name: string; value: number }[] = [];
  private readonly outputs: { name: string; value: number }[] = [];
  private readonly paramNames = new Set<string>();
  private scopeStack: string[] = [];

  /** Continue building on top of an existing graph (autodiff appends the backward pass). */
  static from(graph: IrGraph): IrBuilder {
    const b = new IrBuilder();
    // a loop, not push(...xs): spreading a graph of 100k+ values overflows the call stack
    const append = <T>(to: T[], from: readonly T[]) => {
      for (const x of from) to.push(x);
    };
    append(b.values, graph.values);
    append(b.nodes, graph.nodes);
    append(b.params, graph.params);
    append(b.constants, graph.constants);
    append(b.inputs, graph.inputs);
    append(b.outputs, graph.outputs);
    for (const p of graph.params) b.paramNames.add(p.name);
    return b;
  }

  get scope(): string {
    return this.scopeStack.join('.');
  }

  withScope<R>(name: string, fn: () => R): R {
    this.scopeStack.push(name);
    try {
      return fn();
    } finally {
      this.scopeStack.pop();
    }
  }

  value(id: number): IrValue {
    const v = this.values[id];
    if (!v) throw new Error(`IR value ${id} does not exist`);
    return v;
  }

  shape(id: number): readonly number[] {
    return this.value(id).shape;
  }

  input(name: string, shape: readonly number[], dtype: DType = 'float32'): number {
    const id = this.newValue(shape, dtype);
    this.inputs.push({ name, value: id });
    return id;
  }

  /** A parameter named under the current scope (`scope.localName`). */
  param(localName: string, shape: readonly number[], init: InitSpec, role: ParamRole): number {
    const name = this.scope === '' ? localName : `${this.scope}.${localName}`;
    if (this.paramNames.has(name)) throw new Error(`parameter ${name} defined twice`);
    this.paramNames.add(name);
    const id = this.newValue(shape, 'float32');
    this.params.push({ name, value: id, init, role });
    return id;
  }

  constant(data: Float32Array | BigInt64Array, shape: readonly number[]): number {
    const id = this.newValue(shape, data instanceof BigInt64Array ? 'int64' : 'float32');
    this.constants.push({ value: id, data });
    return id;
  }

  scalar(x: number): number {
    return this.constant(Float32Array.of(x), []);
  }

  /** Appends one op; returns its output value ids. */
  op(op: string, inputs: readonly number[], attrs: Record<string, unknown> = {}): number[] {
    const rule = primitive(op);
    const outs = rule.shape(
      inputs.map((i) => this.value(i)),
      attrs,
    );
    const ids = outs.map((o) => this.newValue(o.shape, o.dtype ?? 'float32'));
    this.nodes.push({ op, inputs: [...inputs], outputs: ids, attrs, scope: this.scope });
    return ids;
  }

  /**
   * Re-appends a node of a graph this builder was made `from`, keeping its output values (a pass
   * that changes a node's inputs or attributes but not its shapes); the shape rule re-checks it.
   */
  append(node: IrNode): void {
    const outs = primitive(node.op).shape(
      node.inputs.map((i) => this.value(i)),
      node.attrs,
    );
    node.outputs.forEach((o, k) => {
      const want = this.value(o).shape;
      if (want.join() !== outs[k]!.shape.join()) throw new Error(`${node.op}: output ${k} would change shape [${want.join(',')}] → [${outs[k]!.shape.join(',')}]`);
    });
    this.nodes.push({ ...node, inputs: [...node.inputs], outputs: [...node.outputs] });
  }

  /** `op` for the common single-output case. */
  op1(op: string, inputs: readonly number[], attrs: Record<string, unknown> = {}): number {
    return this.op(op, inputs, attrs)[0]!;
  }

  output(name: string, value: number): void {
    this.outputs.push({ name, value });
  }

  inputNames(): string[] {
    return this.inputs.map((i) => i.name);
  }

  build(): IrGraph {
    return {
      values: [...this.values],
      nodes: [...this.nodes],
      params: [...this.params],
      constants: [...this.constants],
      inputs: [...this.inputs],
      outputs: [...this.outputs],
    };
  }

  private newValue(shape: readonly number[], dtype: DType): number {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`invalid dimension ${d} in shape [${shape.join(',')}]`);
    }
    const id = this.values.length;
    this.values.push({ id, shape: [...shape], dtype });
    return id;
  }
}
