/**
 * IR → ONNX model. Values get stable names (parameters keep theirs), each node is emitted by its
 * primitive's row, and parameters become initializers (inference) or graph inputs (training, where
 * they change every step).
 */
import { primitive } from '../ir/primitives/index.js';
import type { IrGraph } from '../ir/types.js';
import { OnnxEmitter } from './emitter.js';
import { OPSET_VERSION, type OnnxModel, type OnnxTensor, type OnnxValueInfo } from './model.js';

export interface EmitOptions {
  readonly name: string;
  /** Parameter values by name; with them parameters are initializers, without them graph inputs. */
  readonly params?: ReadonlyMap<string, Float32Array>;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly producerVersion?: string;
  /** Receives the IR scope of each emitted ONNX node, by node index (the profiler maps ORT's node times back to document nodes with it). */
  readonly nodeScopes?: string[];
}

export function emitOnnx(graph: IrGraph, opts: EmitOptions): OnnxModel {
  const e = new OnnxEmitter();
  const names = new Map<number, string>();
  for (const inp of graph.inputs) names.set(inp.value, inp.name);
  for (const p of graph.params) names.set(p.value, p.name);
  const nameOf = (id: number): string => {
    let n = names.get(id);
    if (!n) {
      n = `v${id}`;
      names.set(id, n);
    }
    return n;
  };
  for (const out of graph.outputs) names.set(out.value, names.get(out.value) ?? out.name);

  const initializers: OnnxTensor[] = [];
  const inputs: OnnxValueInfo[] = graph.inputs.map((i) => valueInfo(i.name, graph, i.value));
  for (const p of graph.params) {
    const shape = graph.values[p.value]!.shape;
    const data = opts.params?.get(p.name);
    if (opts.params) {
      if (!data) throw new Error(`no value for parameter ${p.name}`);
      initializers.push({ name: p.name, dims: shape, dataType: 'float32', data });
    } else {
      inputs.push(valueInfo(p.name, graph, p.value));
    }
  }
  for (const c of graph.constants) {
    const v = graph.values[c.value]!;
    initializers.push({ name: nameOf(c.value), dims: v.shape, dataType: v.dtype, data: c.data });
  }

  for (const node of graph.nodes) {
    const first = e.nodes.length;
    primitive(node.op).emit(
      e,
      {
        inputs: node.inputs.map(nameOf),
        outputs: node.outputs.map(nameOf),
        inShapes: node.inputs.map((i) => graph.values[i]!.shape),
        outShapes: node.outputs.map((o) => graph.values[o]!.shape),
      },
      node.attrs,
    );
    if (opts.nodeScopes) for (let k = first; k < e.nodes.length; k++) opts.nodeScopes[k] = node.scope;
  }

  // an output that is also an input or parameter needs its own name: route it through Identity
  const outputs: OnnxValueInfo[] = graph.outputs.map((o) => {
    const src = nameOf(o.value);
    if (src !== o.name) e.nodeTo('Identity', [src], [o.name]);
    return valueInfo(o.name, graph, o.value);
  });

  return {
    graph: { name: opts.name, nodes: e.nodes, inputs, outputs, initializers: [...initializers, ...e.initializers] },
    opsetVersion: OPSET_VERSION,
    producerName: 'snn-studio',
    producerVersion: opts.producerVersion ?? '0.1.0',
    metadata: opts.metadata ?? {},
  };
}

function valueInfo(name: string, graph: IrGraph, id: number): OnnxValueInfo {
  const v = graph.values[id]!;
  return { name, dataType: v.dtype, dims: v.shape };
}
