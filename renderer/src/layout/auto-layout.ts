/**
 * Auto-layout with elkjs: layered, left to right (data flows from the input on the left to the
 * output on the right), with a port per block port so that two-input blocks (residuals) get their
 * wires from the side they are drawn on.
 */
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT } from '../../../engine/core/document/schema.js';
import type { Body } from '../document/body.js';
import type { XY } from '../document/ops.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface LayoutInput {
  readonly body: Body;
  /** The drawn size of a node (measured, or estimated before it is drawn). */
  readonly sizeOf: (nodeId: string) => Size;
  /** Input and output port names of a node, in drawing order. */
  readonly portsOf: (nodeId: string) => { inputs: readonly string[]; outputs: readonly string[] };
}

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  // room between layers for the type label every wire carries, on its wire and clear of the
  // blocks (wire-layout.ts): `[4,B,384,14,14] membrane` is 160 px wide
  'elk.layered.spacing.nodeNodeBetweenLayers': '190',
  'elk.spacing.nodeNode': '36',
  // a long chain (a CNN, a stack of encoder blocks) wraps into rows instead of one very wide line;
  // elk's ratio is of its own estimate (before the spacing between layers): 4 gives rows of three
  // to five blocks and a drawing about 2.5–3.5 times as wide as tall, which fits a canvas at a
  // readable zoom with one return wire per row (wire-path.ts) instead of one every other block
  'elk.layered.wrapping.strategy': 'MULTI_EDGE',
  'elk.aspectRatio': '4',
  'elk.spacing.edgeNode': '24',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.portConstraints': 'FIXED_ORDER',
};

let elk: Promise<ELK> | null = null;

/** elkjs is large; it loads on the first layout, not with the app. */
function loadElk(): Promise<ELK> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return elk;
}

/** Top-left positions for every node of the body. */
export async function layoutBody(input: LayoutInput): Promise<Map<string, XY>> {
  const ids = new Set(input.body.nodes.map((n) => n.id));
  const children: ElkNode[] = input.body.nodes.map((n) => {
    const size = input.sizeOf(n.id);
    const ports = input.portsOf(n.id);
    return {
      id: n.id,
      width: size.width,
      height: size.height,
      layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
      // FIXED_ORDER numbers ports clockwise from the top-left: east ports top to bottom, west ports bottom to top
      ports: [
        ...ports.outputs.map((p, i) => ({ id: portId(n.id, 'out', p), width: 1, height: 1, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
        ...ports.inputs.map((p, i) => ({ id: portId(n.id, 'in', p), width: 1, height: 1, layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(ports.outputs.length + ports.inputs.length - 1 - i) } })),
      ],
    };
  });
  const portSet = new Set(children.flatMap((c) => (c.ports ?? []).map((p) => p.id)));
  const edges: ElkExtendedEdge[] = input.body.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
    .map((e, k) => {
      const s = portId(e.source, 'out', e.sourcePort ?? DEFAULT_OUT_PORT);
      const t = portId(e.target, 'in', e.targetPort ?? DEFAULT_IN_PORT);
      return { id: `e${k}`, sources: [portSet.has(s) ? s : e.source], targets: [portSet.has(t) ? t : e.target] };
    });
  const result = await (await loadElk()).layout({ id: 'root', layoutOptions: OPTIONS, children, edges });
  const out = new Map<string, XY>();
  for (const c of result.children ?? []) out.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
  return out;
}

function portId(node: string, side: 'in' | 'out', port: string): string {
  return `${node}\u0000${side}\u0000${port}`;
}
