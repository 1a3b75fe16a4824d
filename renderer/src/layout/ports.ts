/** A node's port names, in drawing order, whether or not its parameters are valid. */
import { portsOf } from '../../../engine/core/blocks/types.js';
import { resolveBlock } from '../../../engine/core/graph/infer.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import type { Body } from '../document/body.js';

export function portNames(doc: GraphDocument, body: Body, id: string): { inputs: string[]; outputs: string[] } {
  const node = body.nodes.find((n) => n.id === id);
  const block = node ? resolveBlock(node.block, doc.composites ?? {}) : undefined;
  if (!node || !block) return { inputs: [], outputs: [] };
  const parsed = block.params.safeParse(node.params ?? {});
  const params = parsed.success ? parsed.data : (node.params ?? {});
  try {
    return { inputs: portsOf(block.inputs, params).map((p) => p.name), outputs: portsOf(block.outputs, params).map((p) => p.name) };
  } catch {
    return { inputs: [], outputs: [] };
  }
}
