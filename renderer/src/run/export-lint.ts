/**
 * The export lint on the canvas: while an export dialog is open, or after its "Mark on canvas",
 * every block holding a node the chosen format cannot express is marked, with the lint's reasons on
 * hover. The lint is core's `lintExport` on the open document, the one the exporters run before
 * writing, so what the canvas marks is what the export would refuse.
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import { lintExport, type ExportFinding, type ExportFormat } from '../../../engine/core/export/lint.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { analysisOf } from '../state/analysis.js';
import { useDocument } from '../state/document-store.js';
import { useViewStore } from '../state/view-store.js';

/** The lint of a document for a format; `problems` when the graph does not analyse (then nothing can be exported). */
export type LintOutcome = { readonly ok: true; readonly findings: readonly ExportFinding[] } | { readonly ok: false; readonly problems: number };

// every block on screen asks for the same lint: computed once per document version and format
let last: { doc: GraphDocument; format: ExportFormat; outcome: LintOutcome } | null = null;

export function lintDocument(doc: GraphDocument, format: ExportFormat): LintOutcome {
  if (last?.doc === doc && last.format === format) return last.outcome;
  const analysis = analysisOf(doc);
  const outcome: LintOutcome = analysis.ok ? { ok: true, findings: lintExport(doc, format, analysis).findings } : { ok: false, problems: analysis.problems.filter((p) => p.severity === 'error').length };
  last = { doc, format, outcome };
  return outcome;
}

interface ExportLintState {
  /** The format whose lint the canvas shows; null: none. */
  readonly shown: ExportFormat | null;
}

export const useExportLintStore = create<ExportLintState>()(() => ({ shown: null }));

export function showExportLint(format: ExportFormat | null): void {
  useExportLintStore.setState({ shown: format });
}

/** The open document's lint for the format shown, or null when none is. */
export function useShownLint(): { format: ExportFormat; outcome: LintOutcome } | null {
  const format = useExportLintStore((s) => s.shown);
  const doc = useDocument();
  return useMemo(() => (format === null ? null : { format, outcome: lintDocument(doc, format) }), [format, doc]);
}

/**
 * The reasons a block on screen cannot be exported: a finding's dotted path runs through the
 * composites opened on screen (`block1.attn.q_linear` inside `block1` marks `attn`).
 */
export function useExportMark(nodeId: string): { format: ExportFormat; reasons: string[] } | undefined {
  const lint = useShownLint();
  const scope = useViewStore((s) => s.scope.map((f) => f.nodeId).join('.'));
  return useMemo(() => {
    if (!lint || !lint.outcome.ok) return undefined;
    const reasons = exportReasons(lint.outcome.findings, scope, nodeId);
    return reasons.length === 0 ? undefined : { format: lint.format, reasons };
  }, [lint, scope, nodeId]);
}

/** The findings under block `nodeId` of the body at dotted `scope` ('' at the top), one line each. */
export function exportReasons(findings: readonly ExportFinding[], scope: string, nodeId: string): string[] {
  const prefix = scope === '' ? nodeId : `${scope}.${nodeId}`;
  return findings.filter((f) => f.path === prefix || f.path.startsWith(`${prefix}.`)).map((f) => `${f.path} (${f.block}): ${f.reason}`);
}
