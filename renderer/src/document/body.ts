/**
 * Which graph body an edit applies to: the document's own nodes and edges (key `null`), or the
 * inside of one of the document's composites (key = its name). Every edit op works on a body, so
 * editing inside an opened composite is the same code as editing the top level.
 */
import type { CompositeDef, EdgeSpec, GraphDocument, NodeSpec } from '../../../engine/core/document/schema.js';

export type BodyKey = string | null;

export interface Body {
  readonly nodes: readonly NodeSpec[];
  readonly edges: readonly EdgeSpec[];
}

export function bodyOf(doc: GraphDocument, key: BodyKey): Body | undefined {
  if (key === null) return doc;
  return doc.composites?.[key];
}

/** The document with `key`'s body replaced; unchanged when the body is the same object. */
export function withBody(doc: GraphDocument, key: BodyKey, body: Body): GraphDocument {
  const current = bodyOf(doc, key);
  if (current && current.nodes === body.nodes && current.edges === body.edges) return doc;
  if (key === null) return { ...doc, nodes: [...body.nodes], edges: [...body.edges] };
  const def = doc.composites?.[key];
  if (!def) throw new Error(`no composite "${key}" in this document`);
  const next: CompositeDef = { ...def, nodes: [...body.nodes], edges: [...body.edges] };
  return { ...doc, composites: { ...doc.composites, [key]: next } };
}

export function updateBody(doc: GraphDocument, key: BodyKey, fn: (body: Body) => Body): GraphDocument {
  const body = bodyOf(doc, key);
  if (!body) return doc;
  return withBody(doc, key, fn(body));
}

export function nodeIdsOf(body: Body): Set<string> {
  return new Set(body.nodes.map((n) => n.id));
}
