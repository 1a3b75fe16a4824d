/**
 * The routes of all wires on the canvas (wire-layout.ts), recomputed when a block or a handle
 * moves and not when the view pans: the handle points and block boxes come from React Flow's
 * measured nodes, read into a flat list of numbers that is compared before anything is laid out.
 */
import { useStore, type ReactFlowState } from '@xyflow/react';
import { createContext, useContext, useMemo } from 'react';
import type { FlowEdge, FlowNode } from './flow-model.js';
import { layoutWires, type Box, type Pt, type WireRoute, type WireSpec } from './wire-layout.js';

export const WireRoutes = createContext<ReadonlyMap<string, WireRoute> | null>(null);

export function useWireRoute(id: string): WireRoute | undefined {
  return useContext(WireRoutes)?.get(id);
}

type Geometry = number[];

export function useWireRoutes(edges: readonly FlowEdge[], enabled: boolean): ReadonlyMap<string, WireRoute> | null {
  const geometry = useStore((s) => (enabled ? readGeometry(s as unknown as ReactFlowState<FlowNode, FlowEdge>, edges) : null), sameGeometry);
  return useMemo(() => {
    if (!geometry) return null;
    const nodes = new Map<string, Box>();
    let k = 1;
    for (const id of idsOf.get(geometry) ?? []) {
      nodes.set(id, { x: geometry[k]!, y: geometry[k + 1]!, width: geometry[k + 2]!, height: geometry[k + 3]! });
      k += 4;
    }
    const wires: WireSpec[] = [];
    for (const e of edges) {
      const [sx, sy, tx, ty] = [geometry[k]!, geometry[k + 1]!, geometry[k + 2]!, geometry[k + 3]!];
      k += 4;
      if (Number.isNaN(sx) || Number.isNaN(tx)) continue;
      const label = labelSize(e);
      wires.push({ id: e.id, source: e.source, target: e.target, from: { x: sx, y: sy }, to: { x: tx, y: ty }, ...(label ? { label } : {}) });
    }
    return layoutWires(nodes, wires);
  }, [geometry, edges]);
}

// the node ids behind a geometry list are kept beside it, so that the list itself is only numbers
const idsOf = new WeakMap<Geometry, readonly string[]>();

/** [node count, then x, y, width, height per node, then source x, y, target x, y per edge (NaN: not drawn)]. */
function readGeometry(s: ReactFlowState<FlowNode, FlowEdge>, edges: readonly FlowEdge[]): Geometry {
  const out: number[] = [0];
  const ids: string[] = [];
  for (const [id, n] of s.nodeLookup) {
    const width = n.measured.width ?? n.width;
    const height = n.measured.height ?? n.height;
    if (width === undefined || height === undefined) continue;
    ids.push(id);
    out.push(n.internals.positionAbsolute.x, n.internals.positionAbsolute.y, width, height);
  }
  out[0] = ids.length;
  for (const e of edges) {
    const a = handlePoint(s, e.source, 'source', e.sourceHandle);
    const b = handlePoint(s, e.target, 'target', e.targetHandle);
    if (a && b) out.push(a.x, a.y, b.x, b.y);
    else out.push(NaN, NaN, NaN, NaN);
  }
  idsOf.set(out, ids);
  return out;
}

/** Where React Flow draws a wire's end: the middle of the handle's outer side (right for outputs, left for inputs). */
function handlePoint(s: ReactFlowState<FlowNode, FlowEdge>, nodeId: string, side: 'source' | 'target', handleId: string | null | undefined): Pt | null {
  const n = s.nodeLookup.get(nodeId);
  const bounds = n?.internals.handleBounds?.[side];
  if (!n || !bounds) return null;
  const h = (handleId ? bounds.find((b) => b.id === handleId) : bounds[0]) ?? null;
  if (!h) return null;
  const p = n.internals.positionAbsolute;
  return { x: p.x + h.x + (side === 'source' ? h.width : 0), y: p.y + h.y + h.height / 2 };
}

function sameGeometry(a: Geometry | null, b: Geometry | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  const ia = idsOf.get(a)!;
  const ib = idsOf.get(b)!;
  return ia.length === ib.length && ia.every((id, i) => id === ib[i]);
}

/**
 * The drawn size of a wire's label, as styles.css gives it (`.snn-edge-label`: 9.5 px text at
 * line-height 1.3, the shape in the monospace font and the kind in semibold, 4 px gap and padding,
 * a 1 px border), its text measured in the fonts the page uses, with a pixel to spare.
 */
export function labelSize(e: FlowEdge): { width: number; height: number } | undefined {
  const d = e.data;
  if (!d) return undefined;
  if (d.errors.length > 0) return { width: 262, height: 30 };
  if (!d.shape) return undefined;
  const width = textWidth(d.shape, 'mono') + (d.kind ? 4 + textWidth(d.kind, 'kind') : 0) + 8 + 2 + 2;
  return { width: Math.ceil(width), height: 16 };
}

let measure: { ctx: CanvasRenderingContext2D; mono: string; kind: string } | null | undefined;

function textWidth(text: string, font: 'mono' | 'kind'): number {
  if (measure === undefined) measure = measurer();
  // without a page to measure in, a generous width per character
  if (!measure) return text.length * (font === 'mono' ? 6 : 6.2);
  measure.ctx.font = measure[font];
  return measure.ctx.measureText(text).width;
}

function measurer(): typeof measure {
  if (typeof document === 'undefined') return null;
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return null;
  const mono = getComputedStyle(document.documentElement).getPropertyValue('--snn-mono').trim() || 'monospace';
  return { ctx, mono: `9.5px ${mono}`, kind: `600 9.5px ${getComputedStyle(document.body).fontFamily}` };
}
