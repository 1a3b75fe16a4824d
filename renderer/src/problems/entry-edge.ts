/**
 * A composite block that receives a shape it cannot take reports the failure inside, on the first
 * inner block that reads its input port. From outside, the fault is the wire entering that port:
 * this finds that wire, so that the editor shows the error on the edge the user drew.
 */
import { DEFAULT_IN_PORT, type CompositeDef } from '../../../engine/core/document/schema.js';
import type { Problem } from '../../../engine/core/problems.js';
import type { Body } from '../document/body.js';
import { edgeIds } from '../document/ids.js';
import { compositeInside } from '../state/scope.js';
import { placeProblem } from './locate.js';

export function entryEdge(p: Problem, scopePath: readonly string[], body: Body, composites: Readonly<Record<string, CompositeDef>>): string | undefined {
  const where = placeProblem(p, scopePath, body);
  if (where.at !== 'inside' || where.path.length !== 1) return undefined;
  const outer = body.nodes.find((n) => n.id === where.nodeId);
  const inside = outer ? compositeInside(outer, composites) : null;
  if (!outer || !inside || p.port === undefined) return undefined;
  const wire = inside.edges.find((e) => e.target === where.path[0] && (e.targetPort ?? DEFAULT_IN_PORT) === p.port);
  const source = wire ? inside.nodes.find((n) => n.id === wire.source) : undefined;
  if (source?.block !== 'input') return undefined;
  const portName = String((source.params as { name?: unknown } | undefined)?.name ?? 'x');
  const k = body.edges.findIndex((e) => e.target === outer.id && (e.targetPort ?? DEFAULT_IN_PORT) === portName);
  return k < 0 ? undefined : edgeIds(body.edges)[k];
}
