/**
 * Positions for what has none: a template or a hand-written document arrives without positions,
 * and the canvas needs every node placed. Bodies where every node has a position are left alone.
 */
import type { CompositeDef, EdgeSpec, GraphDocument, NodeSpec } from '../../../engine/core/document/schema.js';
import type { Body } from '../document/body.js';
import { moveNodes } from '../document/ops.js';
import { layoutBody, type Size } from './auto-layout.js';
import { estimateNodeSize } from './node-size.js';
import { portNames } from './ports.js';

export function needsLayout(body: Body): boolean {
  return body.nodes.some((n) => !n.position);
}

export async function layoutMissing(doc: GraphDocument): Promise<GraphDocument> {
  let out = doc;
  if (needsLayout(doc)) out = { ...out, ...arrays(await layoutAll(out, doc)) };
  const composites = doc.composites ?? {};
  let changed = false;
  const next: Record<string, CompositeDef> = {};
  for (const [name, def] of Object.entries(composites)) {
    if (needsLayout(def)) {
      next[name] = { ...def, ...arrays(await layoutAll(doc, def)) };
      changed = true;
    } else next[name] = def;
  }
  return changed ? { ...out, composites: next } : out;
}

function arrays(body: Body): { nodes: NodeSpec[]; edges: EdgeSpec[] } {
  return { nodes: [...body.nodes], edges: [...body.edges] };
}

/** Lays out a whole body, with the sizes its nodes will be drawn at. */
export async function layoutAll(doc: GraphDocument, body: Body, measured?: ReadonlyMap<string, Size>): Promise<Body> {
  const positions = await layoutBody({
    body,
    sizeOf: (id) => measured?.get(id) ?? estimateNodeSize(doc, body, id),
    portsOf: (id) => portNames(doc, body, id),
  });
  return moveNodes(body, positions);
}
