/**
 * Writes a NIR graph as HDF5 with h5wasm, in the layout NIR's own reader expects: a root
 * `version`, and a `node` group of type NIRGraph holding `nodes/<name>` groups (each with its
 * `type` and parameter arrays, and an optional `metadata` group) and `edges`, an [E, 2] array of
 * node names. The step the continuous-time constants assume is stated twice: as the graph's
 * metadata and as root attributes. The file is written beside the target and renamed into place.
 */
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { GraphDocument } from '../../core/document/schema.js';
import type { GraphAnalysis } from '../../core/graph/infer.js';
import { NIR_VERSION, nirGraph, type NirGraph, type NirValue } from '../../core/export/nir/graph.js';
import type { DocumentTensor } from './weights.js';

type H5Group = InstanceType<typeof h5wasm.Group>;

export async function writeNirFile(target: string, doc: GraphDocument, analysis: GraphAnalysis, weights: ReadonlyMap<string, DocumentTensor>, dt: number): Promise<NirGraph> {
  const graph = nirGraph(doc, analysis, weights, dt);
  await h5wasm.ready;
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  try {
    const file = new h5wasm.File(temp, 'w');
    try {
      file.create_dataset({ name: 'version', data: NIR_VERSION });
      file.create_attribute('generator', 'SNN Studio');
      file.create_attribute('document', doc.name);
      file.create_attribute('dt', dt);
      file.create_attribute('time_steps', doc.timeSteps);
      file.create_attribute('readout', 'the engine averages the output over the time steps');
      const root = file.create_group('node');
      root.create_dataset({ name: 'type', data: 'NIRGraph' });
      const nodes = root.create_group('nodes');
      for (const [name, node] of graph.nodes) {
        const g = nodes.create_group(name);
        g.create_dataset({ name: 'type', data: node.type });
        for (const [k, v] of Object.entries(node.params)) put(g, k, v);
        if (node.metadata) {
          const meta = g.create_group('metadata');
          for (const [k, v] of Object.entries(node.metadata)) put(meta, k, v);
        }
      }
      root.create_dataset({ name: 'edges', data: graph.edges.flat(), shape: [graph.edges.length, 2] });
      const meta = root.create_group('metadata');
      put(meta, 'dt', dt);
      put(meta, 'time_steps', doc.timeSteps);
      put(meta, 'readout', 'mean over the time steps of the output');
    } finally {
      file.close();
    }
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return graph;
}

function put(g: H5Group, name: string, v: NirValue): void {
  if (typeof v === 'string' || typeof v === 'number') {
    g.create_dataset({ name, data: v });
  } else if ('f32' in v) {
    g.create_dataset({ name, data: v.f32, shape: [...v.shape] });
  } else {
    g.create_dataset({ name, data: BigInt64Array.from(v.i64, (x) => BigInt(x)), shape: [...v.shape] });
  }
}
