/** SDT presets: counts against the paper's table, per-step logits, forward passes for CIFAR/DVS/tiny. */
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { sdt } from '../../templates/sdt.js';
import { describeForwardPasses, describePresets } from './helpers.js';

// SDT-8-384 is Spikformer-8-384's topology with MS-SPS: the spec's arithmetic gives 16,816,024
describePresets(sdt, { exact: { '8-384': 16_816_024 } });

describe('sdt: head', () => {
  it('LIF on the token mean of the membrane, then per-step logits (kept for TET)', () => {
    const doc = sdt.build(sdt.presets[0]!);
    expect(doc.nodes.filter((n) => ['mean_tokens', 'lif', 'head'].includes(n.block)).map((n) => n.block)).toEqual(['mean_tokens', 'lif', 'head']);
    expect(analyseDocument(doc).output).toEqual({ shape: [1000], timed: true, kind: 'analog' });
  });
});

describeForwardPasses(sdt);
