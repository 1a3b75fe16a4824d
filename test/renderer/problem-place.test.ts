// The renderer places a problem from its fields (no parsing of its message): a port mismatch inside
// a composite sits on the composite from outside, on the inner node and its wire once opened, and
// on the outer wire that feeds the failing port.
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { edgeIds } from '../../renderer/src/document/ids.js';
import { entryEdge } from '../../renderer/src/problems/entry-edge.js';
import { placeProblem } from '../../renderer/src/problems/locate.js';
import { pair, portMismatchInComposite } from '../core/helpers/port-mismatch.js';

describe('placing a port mismatch inside a composite', () => {
  const d = portMismatchInComposite();
  const p = analyseDocument(d).problems.find((q) => q.severity === 'error')!;

  it('sits inside the composite node at the top level, and on the inner node and its wire once opened', () => {
    expect(placeProblem(p, [], d)).toEqual({ at: 'inside', nodeId: 'p', path: ['add'] });
    expect(placeProblem(p, ['p'], pair)).toEqual({ at: 'node', nodeId: 'add', edgeId: edgeIds(pair.edges)[1] });
    expect(placeProblem(p, ['elsewhere'], pair)).toEqual({ at: 'elsewhere' });
  });

  it('is shown on the outer wire into the failing port, from the port field', () => {
    const k = d.edges.findIndex((e) => e.target === 'p' && e.targetPort === 'b');
    expect(entryEdge(p, [], d, d.composites!)).toBe(edgeIds(d.edges)[k]);
    expect(entryEdge({ ...p, port: 'a' }, [], d, d.composites!)).toBe(edgeIds(d.edges)[d.edges.findIndex((e) => e.target === 'p' && e.targetPort === 'a')]);
  });

  it('finds the inner wire by its index when the port is not given', () => {
    const { port: _port, ...noPort } = p;
    expect(placeProblem(noPort, ['p'], pair)).toEqual({ at: 'node', nodeId: 'add', edgeId: edgeIds(pair.edges)[1] });
    const { innerEdgeIndex: _k, ...neither } = noPort;
    expect(placeProblem(neither, ['p'], pair)).toEqual({ at: 'node', nodeId: 'add' });
  });
});
