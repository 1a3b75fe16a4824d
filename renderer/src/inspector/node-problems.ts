/** The problems of one node in the scope on screen, split into those about a parameter and the rest. */
import type { Problem } from '../../../engine/core/problems.js';
import type { Body } from '../document/body.js';
import { placeProblem } from '../problems/locate.js';

export interface NodeProblems {
  readonly byKey: Map<string, string[]>;
  readonly general: { severity: Problem['severity']; text: string }[];
}

const PARAM_PATH = /\.params\.([A-Za-z_][A-Za-z0-9_]*)/;

export function problemsOfNode(problems: readonly Problem[], scopePath: readonly string[], body: Body, nodeId: string): NodeProblems {
  const out: NodeProblems = { byKey: new Map(), general: [] };
  for (const p of problems) {
    const where = placeProblem(p, scopePath, body);
    if (where.at !== 'node' || where.nodeId !== nodeId) continue;
    const text = p.message;
    // the parameter is named in the culprit's own path: the document's, or the innermost inside a composite
    const key = PARAM_PATH.exec(p.innerPath?.at(-1) ?? p.path)?.[1];
    if (key !== undefined && p.severity === 'error') out.byKey.set(key, [...(out.byKey.get(key) ?? []), text]);
    else out.general.push({ severity: p.severity, text });
  }
  return out;
}
