/**
 * The few things commands outside the canvas ask of the React Flow instance (fit the view, centre
 * on a node, map a drop point): the canvas registers its instance here when it mounts.
 */
import type { ReactFlowInstance } from '@xyflow/react';
import type { XY } from '../document/ops.js';
import type { Box } from '../layout/placement.js';
import { useViewStore } from '../state/view-store.js';
import type { FlowEdge, FlowNode } from './flow-model.js';

let instance: ReactFlowInstance<FlowNode, FlowEdge> | null = null;
let container: HTMLElement | null = null;

export function registerCanvas(i: ReactFlowInstance<FlowNode, FlowEdge> | null, element: HTMLElement | null): void {
  instance = i;
  container = element;
}

/** Height of the minimap with its margin and the button above it that folds it (Canvas.tsx). */
export const MINIMAP_BOTTOM = 112 + 15;
const MINIMAP_CLEARANCE: Px = `${MINIMAP_BOTTOM + 34}px`;
/** The folded legend and the analysis switch at the bottom centre. */
const FOOTER_CLEARANCE: Px = '52px';

type Px = `${number}px`;

/**
 * Fitting never zooms in past reading size, so a small graph is not blown up, and leaves the
 * bottom of the canvas to its overlays: a fitted graph has no block under the minimap or the legend.
 */
export function fitOptions(): { padding: { top: Px; left: Px; right: Px; bottom: Px }; maxZoom: number } {
  const view = useViewStore.getState();
  return { padding: { top: '56px', left: '40px', right: '40px', bottom: view.showMinimap ? MINIMAP_CLEARANCE : FOOTER_CLEARANCE }, maxZoom: 1.1 };
}

export function fitView(): void {
  void instance?.fitView({ ...fitOptions(), duration: 200 });
}

export function zoomBy(factor: number): void {
  if (!instance) return;
  void instance.zoomTo(instance.getZoom() * factor, { duration: 120 });
}

/** Zooms about the centre of the canvas (1: blocks and labels at their drawn size). */
export function zoomTo(zoom: number): void {
  void instance?.zoomTo(zoom, { duration: 120 });
}

/** Brings nodes into view without zooming in further than reading size. */
export function revealNodes(ids: readonly string[]): void {
  if (!instance || ids.length === 0) return;
  void instance.fitView({ nodes: ids.map((id) => ({ id })), padding: 0.6, maxZoom: 1.1, duration: 250 });
}

/** Pans (at the same zoom) so that a box in flow coordinates is on screen, if it is not already. */
export function keepInView(box: Box): void {
  if (!instance || !container) return;
  const r = container.getBoundingClientRect();
  const a = instance.flowToScreenPosition({ x: box.x, y: box.y });
  const b = instance.flowToScreenPosition({ x: box.x + box.width, y: box.y + box.height });
  if (a.x >= r.left && a.y >= r.top && b.x <= r.right && b.y <= r.bottom) return;
  void instance.setCenter(box.x + box.width / 2, box.y + box.height / 2, { zoom: instance.getZoom(), duration: 200 });
}

/** The flow position at the centre of the visible canvas (where keyboard-added blocks go). */
export function visibleCenter(): XY {
  if (!instance || !container) return { x: 0, y: 0 };
  const r = container.getBoundingClientRect();
  return instance.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
}

/** The boxes of the nodes as drawn on the canvas now (positions React Flow holds, measured sizes). */
export function drawnBoxes(): Map<string, Box> {
  const out = new Map<string, Box>();
  for (const n of instance?.getNodes() ?? []) {
    const size = n.measured ?? sizes.get(n.id);
    if (size?.width !== undefined && size.height !== undefined) out.set(n.id, { x: n.position.x, y: n.position.y, width: size.width, height: size.height });
  }
  return out;
}

let sizes: ReadonlyMap<string, { width: number; height: number }> = new Map();

/** The canvas reports the drawn sizes of its nodes, so that a layout spaces them as drawn. */
export function registerSizes(measured: ReadonlyMap<string, { width: number; height: number }>): void {
  sizes = measured;
}

export function measuredSizes(): ReadonlyMap<string, { width: number; height: number }> {
  return sizes;
}
