/** Documents the renderer tests edit: the small LIF CNN template, and a blank graph with a few blocks. */
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { lifCnn } from '../../templates/lif-cnn.js';

/** The LIF CNN with positions, as the editor holds a document after opening it. */
export function cnn(): GraphDocument {
  const doc = lifCnn();
  return { ...doc, nodes: doc.nodes.map((n, i) => ({ ...n, position: { x: i * 240, y: 0 } })) };
}
