/**
 * The zoomed-out drawing of the wires: below OVERVIEW_ZOOM a wire's label cannot be read and its
 * own SVG element costs the browser as much to move as a readable one, so all wires are drawn as a
 * few paths, one per value kind (and one for errors), instead of one element each. This keeps a
 * 1,000-node graph panning smoothly; zooming back in brings the full, interactive wires back.
 */
import { wirePath } from './wire-path.js';
import type { ValueKind } from '../../../engine/core/tensor.js';
import type { FlowEdge, FlowNode } from './flow-model.js';

export const OVERVIEW_ZOOM = 0.35;

/**
 * Below this zoom the smallest text of the canvas (9.5 px wire labels, 10 px port names) would
 * draw under 9 px: blocks show only their name, in a font that stays readable, and wires drop
 * their labels (the level of detail between the full drawing and the overview).
 */
export const COMPACT_ZOOM = 0.95;

export type LevelOfDetail = 'detail' | 'compact' | 'overview';

export function levelOfDetail(zoom: number): LevelOfDetail {
  return zoom < OVERVIEW_ZOOM ? 'overview' : zoom < COMPACT_ZOOM ? 'compact' : 'detail';
}

export type OverviewStyle = ValueKind | 'untyped' | 'error';

export interface OverviewPath {
  readonly style: OverviewStyle;
  readonly d: string;
}

/** Port rows are 16px high at the bottom of a node, above 3px of padding (styles.css). */
const PORT_ROW = 16;
const PORTS_PADDING = 3;

export function overviewPaths(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): OverviewPath[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parts = new Map<OverviewStyle, string[]>();
  for (const e of edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t || !s.measured?.width || !t.measured?.height) continue;
    const [d] = wirePath({
      sourceX: s.position.x + s.measured.width,
      sourceY: s.position.y + portY(s, 'out', e.sourceHandle),
      targetX: t.position.x,
      targetY: t.position.y + portY(t, 'in', e.targetHandle),
    });
    const style: OverviewStyle = (e.data?.errors.length ?? 0) > 0 ? 'error' : (e.data?.kind ?? 'untyped');
    const list = parts.get(style) ?? [];
    list.push(d);
    parts.set(style, list);
  }
  return [...parts].map(([style, ds]) => ({ style, d: ds.join(' ') }));
}

/** Where a port's handle sits: mid-height for a node with one unnamed port a side, else its row. */
function portY(node: FlowNode, side: 'in' | 'out', handle: string | null | undefined): number {
  const height = node.measured?.height ?? 0;
  const ports = side === 'in' ? node.data.inputs : node.data.outputs;
  const rows = Math.max(node.data.inputs.length, node.data.outputs.length);
  const named = rows > 1 || [...node.data.inputs, ...node.data.outputs].some((p) => p.name !== 'in' && p.name !== 'out');
  if (!named) return height / 2;
  const i = Math.max(0, ports.findIndex((p) => p.name === handle));
  return height - PORTS_PADDING - (rows - i - 0.5) * PORT_ROW;
}
