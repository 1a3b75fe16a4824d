/**
 * The analysed document seen as one flat graph of primitive block instances, composites opened:
 * each instance knows, for every input port, which instance (and port) produces the value, and how
 * many instances read each of its outputs. Facts that cross composite boundaries (a chain of linear
 * layers that starts in one block and ends in the next) are read off this view.
 */
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT, type GraphBody } from '../document/schema.js';
import type { BodyInfo, NodeInfo } from './infer.js';

export interface FlatNode {
  /** Node ids from the document node down to this instance. */
  readonly ids: readonly string[];
  /** Index of each of those nodes in its body's `nodes`. */
  readonly indices: readonly number[];
  /** The composite instances around it, outermost first (their ids are `ids` minus the last). */
  readonly ancestors: readonly NodeInfo[];
  readonly info: NodeInfo;
  /** Producer of each input port; `undefined` node for the document's input. */
  readonly inputs: Readonly<Record<string, FlatRef>>;
}

export interface FlatRef {
  readonly node: FlatNode | undefined;
  readonly port: string;
}

export interface FlatGraph {
  /** Primitive instances in a topological order. */
  readonly nodes: readonly FlatNode[];
  /** Readers of an output: key `flatKey(node)\0port`; the document's output node counts as one. */
  readonly readers: ReadonlyMap<string, number>;
}

export function flatKey(ids: readonly string[]): string {
  return ids.join('\u0001');
}

export function readersOf(g: FlatGraph, ref: FlatRef): number {
  return ref.node ? (g.readers.get(`${flatKey(ref.node.ids)}\u0000${ref.port}`) ?? 0) : 0;
}

interface Frame {
  readonly body: BodyInfo;
  readonly ids: readonly string[];
  readonly indices: readonly number[];
  readonly ancestors: readonly NodeInfo[];
  readonly parent?: { readonly frame: Frame; readonly node: NodeInfo };
}

export function flattenAnalysis(root: BodyInfo): FlatGraph {
  const nodes: FlatNode[] = [];
  const byKey = new Map<string, FlatNode>();
  const readers = new Map<string, number>();
  const incoming = new WeakMap<GraphBody, Map<string, { source: string; port: string }>>();

  const edgeInto = (body: GraphBody, target: string, port: string): { source: string; port: string } | undefined => {
    let m = incoming.get(body);
    if (!m) {
      m = new Map(body.edges.map((e) => [`${e.target}\u0000${e.targetPort ?? DEFAULT_IN_PORT}`, { source: e.source, port: e.sourcePort ?? DEFAULT_OUT_PORT }]));
      incoming.set(body, m);
    }
    return m.get(`${target}\u0000${port}`);
  };
  const child = (frame: Frame, node: NodeInfo): Frame => ({
    body: node.inner!,
    ids: [...frame.ids, node.id],
    indices: [...frame.indices, node.index],
    ancestors: [...frame.ancestors, node],
    parent: { frame, node },
  });
  const portName = (n: NodeInfo): string => String(n.params.name);

  /** The primitive output that reaches input `port` of node `target` in `frame`. */
  function source(frame: Frame, target: string, port: string): FlatRef | undefined {
    const e = edgeInto(frame.body.source, target, port);
    const s = e && frame.body.byId.get(e.source);
    return s ? output(frame, s, e.port) : undefined;
  }

  function output(frame: Frame, s: NodeInfo, port: string): FlatRef | undefined {
    if (s.block.id === 'input') {
      if (!frame.parent) return { node: undefined, port };
      return source(frame.parent.frame, frame.parent.node.id, portName(s));
    }
    if (s.inner) {
      const inner = child(frame, s);
      const out = s.inner.nodes.find((n) => n.block.id === 'output' && portName(n) === port);
      return out ? source(inner, out.id, DEFAULT_IN_PORT) : undefined;
    }
    const node = byKey.get(flatKey([...frame.ids, s.id]));
    return node ? { node, port } : undefined;
  }

  const count = (ref: FlatRef | undefined): void => {
    if (!ref?.node) return;
    const k = `${flatKey(ref.node.ids)}\u0000${ref.port}`;
    readers.set(k, (readers.get(k) ?? 0) + 1);
  };

  function walk(frame: Frame): void {
    for (const n of frame.body.nodes) {
      if (n.inner) {
        walk(child(frame, n));
        continue;
      }
      if (n.block.id === 'input') continue;
      if (n.block.id === 'output') {
        // a composite's output passes through; the document's is a reader
        if (!frame.parent) count(source(frame, n.id, DEFAULT_IN_PORT));
        continue;
      }
      const inputs: Record<string, FlatRef> = {};
      for (const port of Object.keys(n.inputs)) {
        const ref = source(frame, n.id, port);
        if (!ref) continue;
        inputs[port] = ref;
        count(ref);
      }
      const flat: FlatNode = { ids: [...frame.ids, n.id], indices: [...frame.indices, n.index], ancestors: frame.ancestors, info: n, inputs };
      byKey.set(flatKey(flat.ids), flat);
      nodes.push(flat);
    }
  }

  walk({ body: root, ids: [], indices: [], ancestors: [] });
  return { nodes, readers };
}
