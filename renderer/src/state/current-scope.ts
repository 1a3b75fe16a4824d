/** The scope on screen, resolved against the current document, for commands and components alike. */
import { useMemo } from 'react';
import { useAnalysis, analysisOf } from './analysis.js';
import { getDocument, useDocument } from './document-store.js';
import { resolveScope, type ResolvedScope } from './scope.js';
import { useViewStore } from './view-store.js';

export function currentScope(): ResolvedScope {
  const doc = getDocument();
  return resolveScope(doc, analysisOf(doc), useViewStore.getState().scope);
}

export function useScope(): ResolvedScope {
  const doc = useDocument();
  const analysis = useAnalysis();
  const scope = useViewStore((s) => s.scope);
  return useMemo(() => resolveScope(doc, analysis, scope), [doc, analysis, scope]);
}
