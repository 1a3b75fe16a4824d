/**
 * Shapes, kinds, costs and problems, derived from the document: computed by core's
 * analyseDocument, once per document version (every component that asks for the same version
 * shares one result), with one InferCache per open document so that re-analysis after an edit
 * reuses every composite inside that did not change.
 */
import { useMemo } from 'react';
import { analyseDocument, createInferCache, type GraphAnalysis, type InferCache } from '../../../engine/core/graph/infer.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { useDocumentStore } from './document-store.js';

let cache: InferCache = createInferCache();
let cachedComposites: GraphDocument['composites'] | null = null;
let cacheSession = -1;
let last: { doc: GraphDocument; analysis: GraphAnalysis } | null = null;

export function analysisOf(doc: GraphDocument, session = useDocumentStore.getState().session): GraphAnalysis {
  if (last?.doc === doc) return last.analysis;
  // The cache keys a document composite by its name, not its contents: when the document's own
  // composites change (an edit inside one), entries for the old insides must go.
  if (session !== cacheSession || doc.composites !== cachedComposites) {
    cache = createInferCache();
    cacheSession = session;
    cachedComposites = doc.composites;
  }
  const analysis = analyseDocument(doc, cache);
  last = { doc, analysis };
  return analysis;
}

export function useAnalysis(): GraphAnalysis {
  const doc = useDocumentStore((s) => s.doc);
  const session = useDocumentStore((s) => s.session);
  return useMemo(() => analysisOf(doc, session), [doc, session]);
}
