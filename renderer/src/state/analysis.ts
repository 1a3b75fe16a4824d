/**
 * Shapes, kinds, costs and problems, derived from the document: computed by core's
 * analyseDocument, once per document version (every component that asks for the same version
 * shares one result), with one InferCache per open document so that re-analysis after an edit
 * reuses every composite inside that did not change. The limits are the user's (limits-store).
 */
import { useMemo } from 'react';
import { analyseDocument, createInferCache, type GraphAnalysis, type InferCache } from '../../../engine/core/graph/infer.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import type { Limits } from '../../../engine/core/limits/limits.js';
import { useDocumentStore } from './document-store.js';
import { useLimitsStore } from './limits-store.js';

let cache: InferCache = createInferCache();
let cachedComposites: GraphDocument['composites'] | null = null;
let cacheSession = -1;
let last: { doc: GraphDocument; limits: Limits; analysis: GraphAnalysis } | null = null;

export function analysisOf(doc: GraphDocument, session = useDocumentStore.getState().session, limits = useLimitsStore.getState().limits): GraphAnalysis {
  if (last?.doc === doc && last.limits === limits) return last.analysis;
  // The cache keys a document composite by its name, not its contents: when the document's own
  // composites change (an edit inside one), entries for the old insides must go.
  if (session !== cacheSession || doc.composites !== cachedComposites) {
    cache = createInferCache();
    cacheSession = session;
    cachedComposites = doc.composites;
  }
  const analysis = analyseDocument(doc, cache, limits);
  last = { doc, limits, analysis };
  return analysis;
}

export function useAnalysis(): GraphAnalysis {
  const doc = useDocumentStore((s) => s.doc);
  const session = useDocumentStore((s) => s.session);
  const limits = useLimitsStore((s) => s.limits);
  return useMemo(() => analysisOf(doc, session, limits), [doc, session, limits]);
}
