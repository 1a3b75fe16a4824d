/**
 * What the canvas shows: the document's own graph, or the inside of an opened composite node.
 * The inside of one of the document's composites is editable (edits go to `doc.composites[name]`
 * and reach every node of that block); the inside of a catalogue block is generated from its
 * parameters by `expand`, so it is shown read-only.
 */
import type { BodyInfo, GraphAnalysis } from '../../../engine/core/graph/infer.js';
import { resolveBlock } from '../../../engine/core/graph/infer.js';
import type { CompositeDef, GraphDocument, NodeSpec } from '../../../engine/core/document/schema.js';
import type { Body, BodyKey } from '../document/body.js';
import type { ScopeFrame } from './view-store.js';

export interface ResolvedScope {
  readonly body: Body;
  /** The body edits go to; undefined when the body is read-only (a catalogue block's inside). */
  readonly key: BodyKey | undefined;
  /** Analysis of this body, when the node opened analyses cleanly. */
  readonly info: BodyInfo | undefined;
  /** The frames that still resolve (a frame whose node was deleted or undone is dropped). */
  readonly frames: readonly ScopeFrame[];
  /** Labels for the breadcrumb, one per frame. */
  readonly titles: readonly string[];
}

const expansions = new WeakMap<NodeSpec, Body | null>();

export function resolveScope(doc: GraphDocument, analysis: GraphAnalysis, scope: readonly ScopeFrame[]): ResolvedScope {
  let body: Body = doc;
  let key: BodyKey | undefined = null;
  let info: BodyInfo | undefined = analysis.body;
  const frames: ScopeFrame[] = [];
  const titles: string[] = [];
  for (const frame of scope) {
    const node = body.nodes.find((n) => n.id === frame.nodeId);
    if (!node || node.block !== frame.block) break;
    const local = key !== undefined ? doc.composites?.[node.block] : undefined;
    const block = resolveBlock(node.block, doc.composites ?? {});
    if (!block || block.kind !== 'composite') break;
    let inside: Body;
    if (local) {
      inside = local;
      key = node.block;
    } else {
      const expanded = expansionOf(node, block);
      if (!expanded) break;
      inside = expanded;
      key = undefined;
    }
    info = info?.byId.get(node.id)?.inner;
    body = inside;
    frames.push(frame);
    titles.push(`${node.label ?? node.id} · ${block.label}`);
  }
  return { body, key, info, frames, titles };
}

/** The inside of a composite node: the document's definition, or the catalogue block's expansion. */
export function compositeInside(node: NodeSpec, composites: Readonly<Record<string, CompositeDef>>): Body | null {
  const local = composites[node.block];
  if (local) return local;
  const block = resolveBlock(node.block, composites);
  return block?.kind === 'composite' ? expansionOf(node, block) : null;
}

function expansionOf(node: NodeSpec, block: { params: { safeParse(v: unknown): { success: boolean; data?: unknown } }; expand(p: unknown): Body }): Body | null {
  const hit = expansions.get(node);
  if (hit !== undefined) return hit;
  const parsed = block.params.safeParse(node.params ?? {});
  let out: Body | null = null;
  if (parsed.success) {
    try {
      out = block.expand(parsed.data);
    } catch {
      out = null;
    }
  }
  expansions.set(node, out);
  return out;
}
