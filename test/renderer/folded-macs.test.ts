// The Layers table's and the inspector's "MACs folded" figure: a node's MACs once the linear chains on
// spikes fold, found by its path through the composites open on the canvas.
import { describe, expect, it } from 'vitest';
import { analyseDocument, type BodyInfo, type NodeInfo } from '../../engine/core/graph/infer.js';
import { foldedMacsChange } from '../../engine/core/graph/linear-chains.js';
import { deployedMacs } from '../../renderer/src/state/folded-macs.js';
import type { ScopeFrame } from '../../renderer/src/state/view-store.js';
import { buildTemplate } from '../../templates/index.js';

const a = analyseDocument(buildTemplate('meta-spikeformer', 'tiny'));
const change = foldedMacsChange(a.foldedChains);
const frames = (ids: readonly string[]): ScopeFrame[] => ids.map((nodeId) => ({ nodeId, block: '' }));

/** The analysed node at `ids` (document node first) and the body holding it. */
function nodeAt(ids: readonly string[]): NodeInfo {
  let body: BodyInfo = a.body;
  let node: NodeInfo | undefined;
  for (const id of ids) {
    node = body.byId.get(id)!;
    if (node.inner) body = node.inner;
  }
  return node!;
}

describe('deployed MACs of the nodes on screen', () => {
  it('top level: the composites holding RepConvs show their folded MACs, the rest nothing; with the unchanged rows they add up to the folded total', () => {
    const shown = a.body.nodes.map((n) => deployedMacs(change, [], n));
    expect(shown.some((m) => m !== undefined)).toBe(true);
    expect(a.body.nodes.reduce((s, n, k) => s + (shown[k] ?? n.macs), 0)).toBe(a.foldedMacs);
    for (const [k, n] of a.body.nodes.entries()) if (n.macs === 0 && !n.inner) expect(shown[k]).toBeUndefined();
  });

  it("inside an opened RepConv: the chain's first conv shows the one folded conv's MACs, its other layers 0", () => {
    const c = a.foldedChains[0]!;
    const [first, ...rest] = c.layers;
    expect(deployedMacs(change, frames(first!.slice(0, -1)), nodeAt(first!))).toBe(c.foldedMacs);
    for (const ids of rest) if (nodeAt(ids).macs > 0) expect(deployedMacs(change, frames(ids.slice(0, -1)), nodeAt(ids))).toBe(0);
    // the same node read with the wrong scope path is not one the fold touches
    expect(deployedMacs(change, [], nodeAt(first!))).toBeUndefined();
  });
});
