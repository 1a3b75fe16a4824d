/**
 * The size a node is drawn at before it has been measured, for layout. It mirrors the node's CSS
 * (styles.css `.snn-node`): a fixed width, a head and a sub line, then one row per port pair.
 */
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import type { Body } from '../document/body.js';
import { portNames } from './ports.js';

export const NODE_WIDTH = 212;
/** Border, title line and block/parameter line. */
export const NODE_HEAD = 42;
export const NODE_PORT_ROW = 16;

export function estimateNodeSize(doc: GraphDocument, body: Body, id: string): { width: number; height: number } {
  const ports = portNames(doc, body, id);
  const rows = Math.max(ports.inputs.length, ports.outputs.length);
  // nodes with one unnamed port a side have no port rows (BlockNode.tsx)
  const named = rows > 1 || [...ports.inputs, ...ports.outputs].some((p) => p !== 'in' && p !== 'out');
  return { width: NODE_WIDTH, height: NODE_HEAD + (named ? rows * NODE_PORT_ROW + 3 : 0) };
}
