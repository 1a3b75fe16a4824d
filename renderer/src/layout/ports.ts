/** A node's port names, in drawing order, whether or not its parameters are valid. */
import { blockPorts } from '../../../engine/core/blocks/types.js';
import { resolveBlock } from '../../../engine/core/graph/infer.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import type { Body } from '../document/body.js';

export function portNames(doc: GraphDocument, body: Body, id: string): { inputs: string[]; outputs: string[] } {
  const node = body.nodes.find((n) => n.id === id);
  const block = node ? resolveBlock(node.block, doc.composites ?? {}) : undefined;
  if (!node || !block) return { inputs: [], outputs: [] };
  const ports = blockPorts(block, node.params);
  return { inputs: ports.inputs.map((p) => p.name), outputs: ports.outputs.map((p) => p.name) };
}
