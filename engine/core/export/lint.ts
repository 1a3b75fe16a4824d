/**
 * The export lint: before any export, each node the chosen format cannot hold, with why. An export
 * with findings is refused with this list (the exporters call `requireExportable`), never written
 * in part. The app shows the same findings as a canvas overlay: `nodeId` is the document node to
 * mark, `path` the primitive inside it.
 */
import { analyseDocument, type GraphAnalysis } from '../graph/infer.js';
import type { GraphDocument } from '../document/schema.js';
import { ProblemsError } from '../problems.js';
import { nirVerdict } from './nir/rules.js';
import { pytorchForm, PYTORCH_STRUCTURAL } from './pytorch/forms.js';
import { primitiveNodes, type PlacedNode } from './walk.js';

export const EXPORT_FORMATS = ['onnx', 'pytorch', 'nir'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFinding {
  /** The top-level document node to mark on the canvas. */
  readonly nodeId: string;
  /** The primitive's dotted path inside it (equal to nodeId at top level). */
  readonly path: string;
  readonly block: string;
  readonly reason: string;
}

export interface ExportLint {
  readonly format: ExportFormat;
  readonly ok: boolean;
  readonly findings: readonly ExportFinding[];
}

export function lintExport(doc: GraphDocument, format: ExportFormat, analysis: GraphAnalysis = analyseDocument(doc)): ExportLint {
  if (!analysis.ok) throw new ProblemsError(analysis.problems);
  const findings: ExportFinding[] = [];
  for (const p of primitiveNodes(analysis.body)) {
    const reason = refusal(format, p);
    if (reason !== undefined) findings.push({ nodeId: p.topId, path: p.path, block: p.node.block.id, reason });
  }
  return { format, ok: findings.length === 0, findings };
}

function refusal(format: ExportFormat, p: PlacedNode): string | undefined {
  switch (format) {
    case 'onnx':
      return undefined; // the engine's own compiler: every valid document compiles
    case 'nir': {
      const v = nirVerdict(p);
      return v.ok ? undefined : v.reason;
    }
    case 'pytorch': {
      if (PYTORCH_STRUCTURAL.has(p.node.block.id)) return undefined;
      // PyTorch names a submodule by the node id, and a dot there would split the state_dict key
      if (p.node.id.includes('.')) return `node id "${p.node.id}" contains a dot, which a PyTorch module name cannot`;
      const form = pytorchForm(p.node.block.id);
      if (!form) return `${p.node.block.label} (${p.node.block.id}) has no generated PyTorch form yet`;
      return form.refuse?.(p.node);
    }
  }
}

/** One line per finding: `path (block): reason`. */
export function lintText(lint: ExportLint): string {
  return lint.findings.map((f) => `${f.path} (${f.block}): ${f.reason}`).join('\n');
}

/** Thrown by an exporter given a document its format cannot hold; carries the whole list. */
export class ExportRefused extends Error {
  constructor(readonly lint: ExportLint) {
    super(`cannot export to ${lint.format}: ${lint.findings.length} node${lint.findings.length === 1 ? '' : 's'} the format cannot hold\n${lintText(lint)}`);
    this.name = 'ExportRefused';
  }
}

export function requireExportable(doc: GraphDocument, format: ExportFormat, analysis?: GraphAnalysis): void {
  const lint = lintExport(doc, format, analysis);
  if (!lint.ok) throw new ExportRefused(lint);
}
