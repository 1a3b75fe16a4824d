/**
 * The gallery's thumbnail of a template: its top-level graph drawn as coloured blocks (colour =
 * block category, pill shape = neuron) in longest-path layers. A deep network is a long chain, so
 * the layers are folded into rows that snake left-right-left towards a card's shape instead of one
 * thin strip. Generated from the document, so a thumbnail never disagrees with its template;
 * deterministic, so the same document gives byte-identical SVG. No text but an escaped <title>:
 * safe to show as `<img src="data:image/svg+xml,…">`.
 */
import type { BlockCategory } from '../../core/blocks/types.js';
import type { GraphDocument } from '../../core/document/schema.js';
import { resolveBlock } from '../../core/graph/infer.js';
import { layerGraph } from './graph-layering.js';

const NODE_W = 40;
const NODE_H = 22;
const GAP_X = 18;
const GAP_Y = 10;
const ROW_GAP = 26;
const MARGIN = 10;
/** Width over height that the folding aims for (a gallery card). */
const ASPECT = 1.6;

const CATEGORY_COLOURS: Record<BlockCategory, string> = {
  io: '#64748b',
  encoders: '#0ea5e9',
  neurons: '#f59e0b',
  layers: '#6366f1',
  attention: '#ec4899',
  stems: '#14b8a6',
  residuals: '#84cc16',
  heads: '#8b5cf6',
  ann: '#94a3b8',
};
const UNKNOWN_COLOUR = '#a1a1aa';
const EDGE_COLOUR = '#94a3b8';

interface Box {
  readonly x: number;
  readonly y: number;
}

export function renderThumbnail(doc: GraphDocument): string {
  const { boxes, edges, width, height } = placeNodes(doc);
  const composites = doc.composites ?? {};
  const rects = doc.nodes.map((node, i) => {
    const block = resolveBlock(node.block, composites);
    const fill = block ? CATEGORY_COLOURS[block.category] : UNKNOWN_COLOUR;
    const round = block?.category === 'neurons' ? NODE_H / 2 : 4;
    const b = boxes[i]!;
    return `<rect x="${num(b.x)}" y="${num(b.y)}" width="${NODE_W}" height="${NODE_H}" rx="${num(round)}" fill="${fill}"/>`;
  });
  const paths = edges.map(([s, t]) => edgePath(boxes[s]!, boxes[t]!));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(width)} ${num(height)}" role="img">` +
    `<title>${escapeXml(doc.name)}</title>` +
    `<g fill="none" stroke="${EDGE_COLOUR}" stroke-width="1.5">${paths.join('')}</g>` +
    `<g>${rects.join('')}</g>` +
    `</svg>`
  );
}

/** Layers → columns of a row; rows run alternately left-to-right and right-to-left. */
function placeNodes(doc: GraphDocument): { boxes: Box[]; edges: readonly (readonly [number, number])[]; width: number; height: number } {
  const layering = layerGraph(doc);
  const stack = (n: number) => n * NODE_H + Math.max(0, n - 1) * GAP_Y;
  const cellW = NODE_W + GAP_X;
  const cellH = stack(layering.width) + ROW_GAP;
  const layers = Math.max(1, layering.layerCount);
  const rowsWanted = Math.max(1, Math.round(Math.sqrt((layers * cellW) / (cellH * ASPECT))));
  const perRow = Math.ceil(layers / rowsWanted);
  const rows = Math.ceil(layers / perRow);

  const size = new Map<number, number>();
  for (const n of layering.nodes) size.set(n.layer, (size.get(n.layer) ?? 0) + 1);
  const rowHeight = Array.from({ length: rows }, (_, r) => stack(Math.max(0, ...Array.from({ length: perRow }, (_, c) => size.get(r * perRow + c) ?? 0))));
  const rowTop = rowHeight.map((_, r) => MARGIN + rowHeight.slice(0, r).reduce((a, h) => a + h + ROW_GAP, 0));

  const boxes = layering.nodes.map((n) => {
    const row = Math.floor(n.layer / perRow);
    const inRow = n.layer % perRow;
    const column = row % 2 === 0 ? inRow : perRow - 1 - inRow;
    // each layer is centred in its row, so a chain runs along the middle and branches fan out around it
    const top = rowTop[row]! + (rowHeight[row]! - stack(size.get(n.layer)!)) / 2;
    return { x: MARGIN + column * cellW, y: top + n.slot * (NODE_H + GAP_Y) };
  });
  const width = MARGIN * 2 + perRow * NODE_W + (perRow - 1) * GAP_X;
  const height = MARGIN * 2 + rowHeight.reduce((a, h) => a + h, 0) + (rows - 1) * ROW_GAP;
  return { boxes, edges: layering.edges, width, height };
}

/** A curve from the side of `a` facing `b` to the side of `b` facing `a` (down between rows). */
function edgePath(a: Box, b: Box): string {
  if (a.x === b.x) {
    const x = a.x + NODE_W / 2;
    const y1 = a.y + NODE_H;
    const y2 = b.y;
    const bend = (y2 - y1) / 2;
    return `<path d="M${num(x)} ${num(y1)}C${num(x)} ${num(y1 + bend)} ${num(x)} ${num(y2 - bend)} ${num(x)} ${num(y2)}"/>`;
  }
  const forward = b.x > a.x;
  const x1 = forward ? a.x + NODE_W : a.x;
  const x2 = forward ? b.x : b.x + NODE_W;
  const y1 = a.y + NODE_H / 2;
  const y2 = b.y + NODE_H / 2;
  const bend = (x2 - x1) / 2;
  return `<path d="M${num(x1)} ${num(y1)}C${num(x1 + bend)} ${num(y1)} ${num(x2 - bend)} ${num(y2)} ${num(x2)} ${num(y2)}"/>`;
}

/** One decimal at most, no `-0`: stable text for the same geometry. */
function num(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
