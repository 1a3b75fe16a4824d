/**
 * Located problems: every error or warning the engine reports names the place it comes from —
 * a JSON path into the document and, where there is one, the node or edge — so that the CLI can
 * print it and the editor can select the culprit.
 */
export type Severity = 'error' | 'warning';

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
  readonly message: string;
}

/** `nodes[3] "attn1".params.heads: 7 does not divide dim 384` */
export function formatProblem(p: Problem): string {
  const where = p.path === '' ? 'document' : p.path;
  const inner = p.inner && p.inner.length > 0 ? ` (inside ${p.inner.join(' › ')})` : '';
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${tag}${where}${inner}: ${p.message}`;
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
