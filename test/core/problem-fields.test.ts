// A problem inside a composite keeps its place as fields (inner node chain, the path at each level,
// the culprit's port and inner edge), not as text in its message.
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { formatProblem } from '../../engine/core/problems.js';
import { portMismatchInComposite } from './helpers/port-mismatch.js';

describe('problem fields', () => {
  it('a port mismatch inside a composite names the port, the inner path and the inner edge as fields', () => {
    const errors = analyseDocument(portMismatchInComposite()).problems.filter((p) => p.severity === 'error');
    expect(errors).toEqual([
      {
        severity: 'error',
        path: 'nodes[4] "p"',
        nodeId: 'p',
        inner: ['add'],
        innerPath: ['nodes[2] "add" port b'],
        port: 'b',
        innerEdgeIndex: 1,
        message: 'shapes differ: a is [T,B,3,8,8], b is [T,B,3,4,4]',
      },
    ]);
    expect(formatProblem(errors[0]!)).toBe('nodes[4] "p" › nodes[2] "add" port b: shapes differ: a is [T,B,3,8,8], b is [T,B,3,4,4]');
  });

  it('a composite inside a composite adds one level to each field and keeps the port', () => {
    const d = portMismatchInComposite();
    const outer = { ...d.composites!.pair!, nodes: d.composites!.pair!.nodes.map((n) => (n.id === 'add' ? { id: 'inner', block: 'pair' } : n)) };
    const edges = outer.edges.map((e) => (e.target === 'add' ? { ...e, target: 'inner' } : e.source === 'add' ? { ...e, source: 'inner', sourcePort: 'y' } : e));
    const nested = { ...d, nodes: d.nodes.map((n) => (n.id === 'p' ? { ...n, block: 'wrap' } : n)), composites: { ...d.composites, wrap: { ...outer, edges } } };
    const [p, ...rest] = analyseDocument(nested).problems.filter((q) => q.severity === 'error');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ nodeId: 'p', inner: ['inner', 'add'], innerPath: ['nodes[2] "inner"', 'nodes[2] "add" port b'], port: 'b', innerEdgeIndex: 1 });
    expect(p!.message).toBe('shapes differ: a is [T,B,3,8,8], b is [T,B,3,4,4]');
  });
});
