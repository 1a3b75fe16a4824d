/**
 * How the CLI prints findings: `validate` and `info` show the same severities, the same counts and
 * the same JSON for each finding, so a script reading one reads the other.
 */
import { formatProblem, SEVERITIES, type Problem, type Severity } from '../core/problems.js';

export function countBySeverity(problems: readonly Problem[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const p of problems) counts[p.severity]++;
  return counts;
}

/** formatProblem tags warnings and info; an error is tagged here, so every line says its severity. */
export function problemLine(p: Problem): string {
  return `${p.severity === 'error' ? 'error: ' : ''}${formatProblem(p)}`;
}

export function wireProblem(p: Problem): Record<string, unknown> {
  return {
    severity: p.severity,
    ...(p.code === undefined ? {} : { code: p.code }),
    path: p.path,
    ...(p.nodeId === undefined ? {} : { nodeId: p.nodeId }),
    ...(p.edgeIndex === undefined ? {} : { edgeIndex: p.edgeIndex }),
    ...(p.inner === undefined ? {} : { inner: p.inner }),
    ...(p.innerPath === undefined ? {} : { innerPath: p.innerPath }),
    ...(p.port === undefined ? {} : { port: p.port }),
    ...(p.innerEdgeIndex === undefined ? {} : { innerEdgeIndex: p.innerEdgeIndex }),
    message: p.message,
    text: formatProblem(p),
  };
}

export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
