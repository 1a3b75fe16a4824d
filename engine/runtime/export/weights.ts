/**
 * Every trained tensor of a document by its engine name, with its shape and role: the seeded
 * initial values, with a checkpoint's (or imported) values over them. What the PyTorch and NIR
 * exports write, and what `import` checks a foreign state_dict against.
 */
import type { GraphDocument } from '../../core/document/schema.js';
import type { GraphAnalysis } from '../../core/graph/infer.js';
import { initializeParams } from '../../core/init/initialize.js';
import type { ParamRole } from '../../core/ir/types.js';
import { lowerDocument } from '../../core/lower/lower.js';

export interface DocumentTensor {
  readonly shape: readonly number[];
  readonly role: ParamRole;
  readonly data: Float32Array;
}

export function documentWeights(doc: GraphDocument, analysis: GraphAnalysis, o: { seed?: number; params?: ReadonlyMap<string, Float32Array> } = {}): Map<string, DocumentTensor> {
  const graph = lowerDocument(doc, analysis, { batch: 1, mode: 'infer' }).graph;
  const values = initializeParams(graph, o.seed ?? doc.training?.seed ?? 0, o.params);
  const out = new Map<string, DocumentTensor>();
  for (const p of graph.params) {
    const shape = graph.values[p.value]!.shape;
    const given = o.params?.get(p.name);
    if (given && given.length !== values.get(p.name)!.length) throw new Error(`"${p.name}" has ${given.length} values; "${doc.name}" needs [${shape.join(',')}]`);
    // a given tensor that fits is the one initializeParams kept
    out.set(p.name, { shape, role: p.role, data: values.get(p.name)! });
  }
  for (const name of o.params?.keys() ?? []) if (!out.has(name)) throw new Error(`"${name}" is not a tensor of "${doc.name}"`);
  return out;
}
