/**
 * The view model React Flow draws: one node per document node and one edge per document edge of
 * the body on screen, with the analysis (shapes, kinds, parameter counts) and problems attached.
 *
 * Building it is pure; `reuse` keeps the previous object of every node and edge whose content did
 * not change, so that after an edit React Flow re-renders only what the edit touched.
 */
import type { Edge, Node } from '@xyflow/react';
import { blockPorts, type BlockCategory, type BlockDef, type PortSpec } from '../../../engine/core/blocks/types.js';
import { resolveBlock, type BodyInfo } from '../../../engine/core/graph/infer.js';
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT, type CompositeDef, type NodeSpec } from '../../../engine/core/document/schema.js';
import { formatShape, type ValueKind } from '../../../engine/core/tensor.js';
import type { Problem } from '../../../engine/core/problems.js';
import type { Body } from '../document/body.js';
import { edgeIds } from '../document/ids.js';
import type { XY } from '../document/ops.js';
import { entryEdge } from '../problems/entry-edge.js';
import { placeProblem } from '../problems/locate.js';
import { NODE_HEAD, NODE_PORT_ROW, NODE_WIDTH } from '../layout/node-size.js';
import { paramSummary } from './param-summary.js';

export interface PortView {
  readonly name: string;
  readonly label: string;
}

export interface BlockNodeData extends Record<string, unknown> {
  readonly nodeId: string;
  readonly title: string;
  readonly blockLabel: string;
  readonly category: BlockCategory | 'mine' | 'unknown';
  readonly summary: string;
  readonly paramCount: number | undefined;
  readonly inputs: readonly PortView[];
  readonly outputs: readonly PortView[];
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** Design facts about this node (info findings), when the canvas shows the analysis. */
  readonly facts: readonly string[];
  /** Errors and warnings deeper inside this composite node. */
  readonly insideProblems: number;
  /** Design facts deeper inside this composite node, when the canvas shows the analysis. */
  readonly insideFacts: number;
  readonly openable: boolean;
}

export interface TypedEdgeData extends Record<string, unknown> {
  readonly shape: string | undefined;
  readonly kind: ValueKind | undefined;
  readonly errors: readonly string[];
}

export type FlowNode = Node<BlockNodeData, 'block'>;
export type FlowEdge = Edge<TypedEdgeData, 'typed'>;

export interface FlowInput {
  readonly body: Body;
  readonly info: BodyInfo | undefined;
  readonly problems: readonly Problem[];
  readonly scopePath: readonly string[];
  readonly composites: Readonly<Record<string, CompositeDef>>;
  readonly timeSteps: number;
  readonly selectedNodes: ReadonlySet<string>;
  readonly selectedEdges: ReadonlySet<string>;
  /** Positions that override the document's: nodes being dragged, then laid-out positions for nodes without one. */
  readonly dragPositions: ReadonlyMap<string, XY> | null;
  readonly autoPositions: ReadonlyMap<string, XY> | null;
  /** Drawn sizes reported by React Flow; a controlled flow hands them back on its nodes (`measured`). */
  readonly sizes: ReadonlyMap<string, { width: number; height: number }>;
  readonly readOnly: boolean;
  /** Show design facts (info findings) on the blocks: the spike-driven analysis. */
  readonly showFacts: boolean;
}

export interface Flow {
  readonly nodes: FlowNode[];
  readonly edges: FlowEdge[];
  /** Problems of this body that belong to no node or edge (shown above the canvas). */
  readonly bodyProblems: readonly Problem[];
}

export function buildFlow(input: FlowInput, previous: Flow | null): Flow {
  const placed = placeAll(input);
  const prevNodes = new Map(previous?.nodes.map((n) => [n.id, n]));
  const prevEdges = new Map(previous?.edges.map((e) => [e.id, e]));

  const nodes = input.body.nodes.map((spec, i): FlowNode => {
    const data = nodeData(spec, input, placed);
    const position = input.dragPositions?.get(spec.id) ?? spec.position ?? input.autoPositions?.get(spec.id) ?? { x: i * 240, y: 0 };
    const selected = input.selectedNodes.has(spec.id);
    const prev = prevNodes.get(spec.id);
    // until React Flow has measured a node, an estimate: a node that is never drawn (off screen, with
    // onlyRenderVisibleElements) still counts as sized, so that fitting the view does not wait for it
    const measured = input.sizes.get(spec.id) ?? estimatedSize(data);
    if (
      prev &&
      prev.selected === selected &&
      prev.position.x === position.x &&
      prev.position.y === position.y &&
      prev.draggable === !input.readOnly &&
      prev.measured?.width === measured?.width &&
      prev.measured?.height === measured?.height &&
      sameNodeData(prev.data, data)
    ) {
      return prev;
    }
    return {
      id: spec.id,
      type: 'block',
      position,
      data,
      selected,
      draggable: !input.readOnly,
      connectable: !input.readOnly,
      deletable: !input.readOnly,
      measured,
    };
  });

  const ids = edgeIds(input.body.edges);
  const edges = input.body.edges.map((e, k): FlowEdge => {
    const id = ids[k]!;
    const type = input.info?.edges[k]?.type;
    const data: TypedEdgeData = {
      shape: type ? formatShape(type, input.timeSteps) : undefined,
      kind: type?.kind,
      errors: placed.edges.get(id) ?? [],
    };
    const selected = input.selectedEdges.has(id);
    const prev = prevEdges.get(id);
    if (prev && prev.selected === selected && prev.data && sameEdgeData(prev.data, data)) return prev;
    return {
      id,
      type: 'typed',
      source: e.source,
      sourceHandle: e.sourcePort ?? DEFAULT_OUT_PORT,
      target: e.target,
      targetHandle: e.targetPort ?? DEFAULT_IN_PORT,
      data,
      selected,
      deletable: !input.readOnly,
    };
  });

  return { nodes, edges, bodyProblems: placed.body };
}

interface Placed {
  readonly nodes: Map<string, { errors: string[]; warnings: string[]; facts: string[]; inside: number; insideFacts: number }>;
  readonly edges: Map<string, string[]>;
  readonly body: Problem[];
}

const LIST = { error: 'errors', warning: 'warnings', info: 'facts' } as const;

function placeAll(input: FlowInput): Placed {
  const out: Placed = { nodes: new Map(), edges: new Map(), body: [] };
  const nodeEntry = (id: string) => {
    let e = out.nodes.get(id);
    if (!e) out.nodes.set(id, (e = { errors: [], warnings: [], facts: [], inside: 0, insideFacts: 0 }));
    return e;
  };
  for (const p of input.problems) {
    if (p.severity === 'info' && !input.showFacts) continue;
    const where = placeProblem(p, input.scopePath, input.body);
    const text = p.message;
    const entry = where.at === 'inside' && p.severity === 'error' ? entryEdge(p, input.scopePath, input.body, input.composites) : undefined;
    if (entry !== undefined) {
      const list = out.edges.get(entry) ?? [];
      if (!list.includes(text)) out.edges.set(entry, [...list, text]);
      continue;
    }
    if (where.at === 'node') {
      if (where.edgeId !== undefined && p.severity === 'error') out.edges.set(where.edgeId, [...(out.edges.get(where.edgeId) ?? []), text]);
      else nodeEntry(where.nodeId)[LIST[p.severity]].push(text);
    } else if (where.at === 'edge') {
      out.edges.set(where.edgeId, [...(out.edges.get(where.edgeId) ?? []), text]);
    } else if (where.at === 'inside') {
      if (p.severity === 'info') nodeEntry(where.nodeId).insideFacts++;
      else nodeEntry(where.nodeId).inside++;
    } else if (where.at === 'body' && p.severity !== 'info') {
      out.body.push(p);
    }
  }
  return out;
}

function nodeData(spec: NodeSpec, input: FlowInput, placed: Placed): BlockNodeData {
  const block: BlockDef | undefined = resolveBlock(spec.block, input.composites);
  const info = input.info?.byId.get(spec.id);
  const problems = placed.nodes.get(spec.id);
  const ports = block ? blockPorts(block, info?.params ?? spec.params) : { inputs: [], outputs: [] };
  const view = (list: readonly PortSpec[]): PortView[] => list.map((p) => ({ name: p.name, label: p.label ?? p.name }));
  return {
    nodeId: spec.id,
    title: spec.label ?? spec.id,
    blockLabel: block?.label ?? spec.block,
    category: !block ? 'unknown' : spec.block in input.composites ? 'mine' : block.category,
    summary: block ? paramSummary(spec) : `unknown block "${spec.block}"`,
    paramCount: info?.paramCount,
    inputs: view(ports.inputs),
    outputs: view(ports.outputs),
    errors: problems?.errors ?? [],
    warnings: problems?.warnings ?? [],
    facts: problems?.facts ?? [],
    insideProblems: problems?.inside ?? 0,
    insideFacts: problems?.insideFacts ?? 0,
    openable: block?.kind === 'composite',
  };
}

/** The height BlockNode.tsx and styles.css give a node: head, sub line, port rows, problem line. */
function estimatedSize(d: BlockNodeData): { width: number; height: number } {
  const rows = Math.max(d.inputs.length, d.outputs.length);
  const named = rows > 1 || [...d.inputs, ...d.outputs].some((p) => p.name !== 'in' && p.name !== 'out');
  const problem = d.errors.length + d.warnings.length + d.facts.length + d.insideProblems + d.insideFacts > 0 ? 22 : 0;
  return { width: NODE_WIDTH, height: NODE_HEAD + (named ? rows * NODE_PORT_ROW + 3 : 0) + problem };
}

function sameNodeData(a: BlockNodeData, b: BlockNodeData): boolean {
  return (
    a.nodeId === b.nodeId &&
    a.title === b.title &&
    a.blockLabel === b.blockLabel &&
    a.category === b.category &&
    a.summary === b.summary &&
    a.paramCount === b.paramCount &&
    a.insideProblems === b.insideProblems &&
    a.insideFacts === b.insideFacts &&
    a.openable === b.openable &&
    samePorts(a.inputs, b.inputs) &&
    samePorts(a.outputs, b.outputs) &&
    sameStrings(a.errors, b.errors) &&
    sameStrings(a.warnings, b.warnings) &&
    sameStrings(a.facts, b.facts)
  );
}

function sameEdgeData(a: TypedEdgeData, b: TypedEdgeData): boolean {
  return a.shape === b.shape && a.kind === b.kind && sameStrings(a.errors, b.errors);
}

function samePorts(a: readonly PortView[], b: readonly PortView[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.label === b[i]!.label);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
