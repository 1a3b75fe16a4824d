/**
 * Fragments: a piece of a body (selected nodes, the edges between them, and the document's own
 * composites they use) that can be copied out of one document and pasted into another body, with
 * node ids and composite names renamed where they would collide.
 */
import type { CompositeDef, EdgeSpec, GraphDocument, NodeSpec } from '../../../engine/core/document/schema.js';
import { bodyOf, updateBody, type BodyKey } from './body.js';
import { uniqueId } from './ids.js';
import { addNodes } from './ops.js';

export interface Fragment {
  readonly nodes: readonly NodeSpec[];
  readonly edges: readonly EdgeSpec[];
  /** The document composites the nodes use, directly or through other composites. */
  readonly composites: Readonly<Record<string, CompositeDef>>;
}

export const FRAGMENT_FORMAT = 'snn-studio/fragment';

export function extractFragment(doc: GraphDocument, key: BodyKey, nodeIds: ReadonlySet<string>): Fragment | null {
  const body = bodyOf(doc, key);
  if (!body) return null;
  const nodes = body.nodes.filter((n) => nodeIds.has(n.id));
  if (nodes.length === 0) return null;
  const edges = body.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target));
  return { nodes, edges, composites: usedComposites(doc, nodes) };
}

/** Local composites reachable from `nodes` (a composite may use another). */
export function usedComposites(doc: GraphDocument, nodes: readonly NodeSpec[]): Record<string, CompositeDef> {
  const all = doc.composites ?? {};
  const out: Record<string, CompositeDef> = {};
  const visit = (list: readonly NodeSpec[]): void => {
    for (const n of list) {
      const def = all[n.block];
      if (def && !(n.block in out)) {
        out[n.block] = def;
        visit(def.nodes);
      }
    }
  };
  visit(nodes);
  return out;
}

export interface PasteResult {
  readonly doc: GraphDocument;
  /** Ids of the pasted nodes in the target body, to select them. */
  readonly nodeIds: readonly string[];
}

/**
 * Pastes a fragment into a body, shifted by `offset`. A composite the document already has with
 * the same definition is reused; one with the same name and another definition is renamed.
 */
export function pasteFragment(doc: GraphDocument, key: BodyKey, fragment: Fragment, offset: { x: number; y: number }): PasteResult {
  const body = bodyOf(doc, key);
  if (!body) return { doc, nodeIds: [] };

  const composites: Record<string, CompositeDef> = { ...(doc.composites ?? {}) };
  const renamedBlocks = new Map<string, string>();
  const added: string[] = [];
  for (const [name, def] of Object.entries(fragment.composites)) {
    const existing = composites[name];
    if (existing && JSON.stringify(existing) === JSON.stringify(def)) continue;
    const target = existing ? uniqueId(name, new Set([...Object.keys(composites), ...Object.keys(fragment.composites)])) : name;
    if (target !== name) renamedBlocks.set(name, target);
    composites[target] = def;
    added.push(target);
  }
  const retarget = (n: NodeSpec): NodeSpec => {
    const block = renamedBlocks.get(n.block);
    return block ? { ...n, block } : n;
  };
  // a renamed composite may be used inside another pasted one (never inside the document's own)
  for (const name of added) {
    const def = composites[name]!;
    if (def.nodes.some((n) => renamedBlocks.has(n.block))) composites[name] = { ...def, nodes: def.nodes.map(retarget) };
  }

  const taken = new Set(body.nodes.map((n) => n.id));
  const ids = new Map<string, string>();
  for (const n of fragment.nodes) {
    const id = uniqueId(n.id, taken);
    taken.add(id);
    ids.set(n.id, id);
  }
  const nodes = fragment.nodes.map((n) => ({
    ...retarget(n),
    id: ids.get(n.id)!,
    position: { x: Math.round((n.position?.x ?? 0) + offset.x), y: Math.round((n.position?.y ?? 0) + offset.y) },
  }));
  const edges = fragment.edges.map((e) => ({ ...e, source: ids.get(e.source) ?? e.source, target: ids.get(e.target) ?? e.target }));

  const withComposites: GraphDocument = Object.keys(composites).length > 0 ? { ...doc, composites } : doc;
  return { doc: updateBody(withComposites, key, (b) => addNodes(b, nodes, edges)), nodeIds: nodes.map((n) => n.id) };
}

/** Clipboard text: a tagged JSON object, so that pasting arbitrary text is recognised as not ours. */
export function fragmentToText(fragment: Fragment): string {
  return JSON.stringify({ format: FRAGMENT_FORMAT, ...fragment });
}

export function fragmentFromText(text: string): Fragment | null {
  try {
    const v = JSON.parse(text) as Partial<Fragment> & { format?: unknown };
    if (v.format !== FRAGMENT_FORMAT || !Array.isArray(v.nodes) || !Array.isArray(v.edges)) return null;
    return { nodes: v.nodes, edges: v.edges, composites: v.composites ?? {} };
  } catch {
    return null;
  }
}
