/**
 * Located problems: every finding the engine reports names the place it comes from — a JSON path
 * into the document and, where there is one, the node or edge — so that the CLI can print it and
 * the editor can select the culprit.
 *
 * Three severities: an error means the graph cannot run; a warning is a likely mistake; info is a
 * design fact worth knowing (a layer that multiplies because it reads spike counts is how
 * Spikformer's spike-add residuals were published, not a fault).
 */
export type Severity = 'error' | 'warning' | 'info';

/**
 * The kinds of finding that are not errors, each with its one severity. Errors carry no code: every
 * error is the same kind of thing (the graph cannot run), told by its message.
 */
export const FINDING_SEVERITY = {
  /** A block's own check of its inputs failed in a way that still runs (SEW AND on counts). */
  'block-check': 'warning',
  /** A synaptic layer reads spike counts (sums of spikes, e.g. after a spike-add residual): it multiplies. */
  'macs-on-counts': 'info',
  /** A synaptic layer reads analog values or membrane potentials: it multiplies, not spike-driven here. */
  'not-spike-driven': 'info',
  /** A chain of linear layers fed by spikes folds into one operator on spikes: spike-driven once deployed. */
  'folds-on-spikes': 'info',
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_SEVERITY;

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface Problem {
  readonly severity: Severity;
  /** JSON path into the document, e.g. `nodes[3].params.heads` ('' for the document itself). */
  readonly path: string;
  /** Id of the node the problem belongs to (for composites: the outermost node in the document). */
  readonly nodeId?: string;
  /** Index of the edge in `edges`, when the problem sits on an edge. */
  readonly edgeIndex?: number;
  /** Path of composite node ids from the document node down to the inner node, when inside a composite. */
  readonly inner?: readonly string[];
  /**
   * Inside a composite, the place at each level below `path`, outermost first: each the path in the
   * body of the composite above it (`nodes[1] "attn"`, `nodes[4] "k_linear" port in`). The last is
   * the culprit's own place; a level whose problem names no place adds none.
   */
  readonly innerPath?: readonly string[];
  /** The input port of the culprit node whose value the problem is about (its wire is the fault). */
  readonly port?: string;
  /** Inside a composite, the index of the edge in the innermost body's `edges`, when the problem sits on one. */
  readonly innerEdgeIndex?: number;
  /** What is wrong, without its place (the fields above hold the place). */
  readonly message: string;
  /** The kind of a warning or info finding (absent on errors). */
  readonly code?: FindingCode;
}

/** A non-error finding of kind `code`, with the severity that kind has. */
export function finding(code: FindingCode, where: Omit<Problem, 'severity' | 'code'>): Problem {
  return { severity: FINDING_SEVERITY[code], code, ...where };
}

/**
 * `nodes[3] "attn1".params.heads: 7 does not divide dim 384`; inside a composite the place is
 * named once, level by level: `nodes[3] "block1" › nodes[1] "attn" › nodes[4] "k_linear": …`.
 */
export function formatProblem(p: Problem): string {
  const tag = p.severity === 'error' ? '' : `${p.severity}: `;
  const where = p.path === '' ? 'document' : p.path;
  return `${tag}${[where, ...(p.innerPath ?? [])].join(' › ')}: ${p.message}`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/**
 * Thrown by block rules (shape, parameter checks) and caught by the graph walk, which attaches the
 * location. `param` names the offending parameter so the path can point at it.
 */
export class RuleError extends Error {
  constructor(
    message: string,
    readonly param?: string,
    readonly port?: string,
  ) {
    super(message);
    this.name = 'RuleError';
  }
}

export function fail(message: string, where?: { param?: string; port?: string }): never {
  throw new RuleError(message, where?.param, where?.port);
}

/** The first error of a list turned into one exception, for callers that cannot go on (compile). */
export class ProblemsError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.filter((p) => p.severity === 'error').map(formatProblem).join('\n'));
    this.name = 'ProblemsError';
  }
}
